package dev.switchboard.examples;

import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.MockProvider;

/**
 * The smallest failover story, on scripted mock providers (no network): the primary is rate
 * limited, the secondary answers, and the trace shows both attempts.
 */
public final class MockQuickstart {
  private MockQuickstart() {}

  public static void main(String[] args) {
    MockProvider azure = MockProvider.create().thenFail(ErrorKind.RATE_LIMITED).otherwiseReply("hello from azure");
    MockProvider bedrock = MockProvider.create().otherwiseReply("hello from bedrock");
    try (Switchboard sb = Switchboard.builder()
        .deployment("azure-east", azure)
        .deployment("bedrock-west", bedrock)
        .model(ModelAlias.builder("chat").target("azure-east", "gpt-4o").target("bedrock-west", "openai.gpt-oss-120b-1:0").build())
        .build()) {
      for (int i = 1; i <= 2; i++) {
        ChatResponse r = sb.chat(ChatRequest.of("chat", "Say hello"));
        System.out.printf("call %d: \"%s\" served by %s%n", i, r.text(), r.servedBy());
        for (Attempt a : r.attempts()) System.out.println("   attempt: " + a);
      }
    }
  }
}
