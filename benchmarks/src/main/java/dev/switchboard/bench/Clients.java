package dev.switchboard.bench;

import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.openai.OpenAi;

/** The Switchboard every end-to-end benchmark uses, pointed at the benchmark stub. */
public final class Clients {
  private Clients() {}

  /**
   * A builder with one deployment per provider at {@code baseUrl} (Bedrock with an API key, so
   * neither side signs) and one model alias per provider, named {@code openai}, {@code azure}
   * and {@code bedrock}; plus {@code bedrock-sigv4}, the same Bedrock model signed with static IAM
   * keys, to compare with the AWS SDK's client. Everything else is Switchboard's default: priority routing, circuit
   * breakers, retry budget, a 120 s deadline per call.
   */
  public static Switchboard.Builder switchboard(String baseUrl) {
    return Switchboard.builder()
        .deployment(OpenAi.deployment("openai").baseUrl(baseUrl + "/v1").apiKey("sk-bench").build())
        .deployment(AzureOpenAi.deployment("azure").endpoint(baseUrl).apiKey("bench-key").build())
        .deployment(Bedrock.deployment("bedrock").region("us-east-1").endpoint(baseUrl)
            .apiKey(Secret.of("bench-key")).build())
        .deployment(Bedrock.deployment("bedrock-sigv4").region("us-east-1").endpoint(baseUrl)
            .staticCredentials(Secret.of("AKIDBENCHEXAMPLE"), Secret.of("bench-secret-key")).build())
        .model(ModelAlias.builder("openai").target("openai", "gpt-4o-mini").build())
        .model(ModelAlias.builder("azure").target("azure", "gpt-4o-mini").build())
        .model(ModelAlias.builder("bedrock").target("bedrock", Payloads.BEDROCK_MODEL).build())
        .model(ModelAlias.builder("bedrock-sigv4").target("bedrock-sigv4", Payloads.BEDROCK_MODEL).build());
  }

  /** Fails unless both answers carry the canned text: a benchmark must never time an error path. */
  public static void check(ChatResponse switchboard, ChatResponse raw) {
    String expected = Payloads.answerText();
    if (!expected.equals(switchboard.text())) throw new IllegalStateException("Switchboard got: " + switchboard.text());
    if (!expected.equals(raw.text())) throw new IllegalStateException("raw client got: " + raw.text());
  }
}
