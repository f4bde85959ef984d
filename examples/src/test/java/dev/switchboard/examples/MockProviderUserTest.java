package dev.switchboard.examples;

import static dev.switchboard.Attempt.Outcome.FAILED;
import static dev.switchboard.Attempt.Outcome.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.MockProvider;
import org.junit.jupiter.api.Test;

/**
 * What a user's own test looks like: script an outage with mocks, no network, no WireMock. The
 * README's mock-provider block is this file ({@code ReadmeTest} keeps them in step).
 */
class MockProviderUserTest {

  @Test
  void rateLimitedPrimaryFailsOverToTheSecondary() {
    MockProvider primary = MockProvider.create().thenFail(ErrorKind.RATE_LIMITED);
    MockProvider secondary = MockProvider.create().thenReply("hi from the secondary");
    try (Switchboard sb = Switchboard.builder().deployment("primary", primary).deployment("secondary", secondary)
        .model(ModelAlias.builder("chat").target("primary", "gpt-4o").target("secondary", "claude").build()).build()) {
      ChatResponse r = sb.chat(ChatRequest.of("chat", "hello"));
      assertThat(r.text()).isEqualTo("hi from the secondary");
      assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(FAILED, SUCCEEDED);
      assertThat(r.attempts().get(0).errorKind()).contains(ErrorKind.RATE_LIMITED);
    }
  }
}
