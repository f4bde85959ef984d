package dev.switchboard.examples.providers;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.aws.BedrockMetadata;
import dev.switchboard.examples.FailoverDemo;
import java.io.PrintStream;
import java.util.Map;

/**
 * Amazon Bedrock (Converse and ConverseStream) through Switchboard. Credentials, in the order
 * it looks for them: a Bedrock API key ({@code AWS_BEARER_TOKEN_BEDROCK}); access keys
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, optional {@code AWS_SESSION_TOKEN});
 * a profile ({@code AWS_PROFILE}); else the AWS default chain (shared files, SSO, container or
 * instance role). Optional: {@code AWS_REGION} (default us-west-2), {@code BEDROCK_MODEL_ID}
 * (default openai.gpt-oss-120b-1:0) and {@code BEDROCK_ENDPOINT} (a VPC endpoint or proxy).
 * With no credential source at all it says so and exits 0.
 */
public final class BedrockExample {
  static final String DEFAULT_MODEL = "openai.gpt-oss-120b-1:0";

  private BedrockExample() {}

  public static void main(String[] args) {
    FailoverDemo.quietLibraryLogs();
    run(System.out, System.getenv());
  }

  /** Returns whether it called the model. */
  static boolean run(PrintStream out, Map<String, String> environment) {
    ExampleEnv env = new ExampleEnv(environment);
    Bedrock.Builder bedrock = Bedrock.deployment("bedrock").region(env.get("AWS_REGION", "us-west-2"));
    env.get("BEDROCK_ENDPOINT").ifPresent(bedrock::endpoint);
    if (env.has("AWS_BEARER_TOKEN_BEDROCK")) {
      bedrock.apiKey(Secret.of(env.get("AWS_BEARER_TOKEN_BEDROCK").orElseThrow()));
    } else if (env.has("AWS_ACCESS_KEY_ID") && env.has("AWS_SECRET_ACCESS_KEY")) {
      Secret id = Secret.of(env.get("AWS_ACCESS_KEY_ID").orElseThrow());
      Secret secret = Secret.of(env.get("AWS_SECRET_ACCESS_KEY").orElseThrow());
      if (env.has("AWS_SESSION_TOKEN")) bedrock.sessionCredentials(id, secret, Secret.of(env.get("AWS_SESSION_TOKEN").orElseThrow()));
      else bedrock.staticCredentials(id, secret);
    } else if (env.has("AWS_PROFILE")) {
      bedrock.profile(env.get("AWS_PROFILE").orElseThrow());
    } else if (env.awsCredentialsAvailable()) {
      bedrock.defaultCredentials();
    } else {
      ExampleEnv.explain(out, "BedrockExample",
          "AWS credentials: AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or AWS_PROFILE,"
              + " or ~/.aws files / an instance or container role (required)",
          "AWS_REGION          default us-west-2",
          "BEDROCK_MODEL_ID    default " + DEFAULT_MODEL + " (a model or inference profile enabled in your account)");
      return false;
    }
    try (Switchboard sb = Switchboard.builder()
        .deployment(bedrock.build())
        .model(ModelAlias.builder("chat").target("bedrock", env.get("BEDROCK_MODEL_ID", DEFAULT_MODEL)).build())
        .build()) {
      ChatResponse r = sb.chat(ChatRequest.builder("chat")
          .system("Answer briefly.").user("Why would an application call models in two clouds?").maxTokens(150).build());
      out.println(r.text());
      out.println("  (" + r.servedBy() + ", " + r.usage().inputTokens() + " tokens in, " + r.usage().outputTokens() + " out"
          + r.metadata(BedrockMetadata.LATENCY_MS, Number.class).map(ms -> ", Bedrock latency " + ms + " ms").orElse("") + ")");

      out.print("streamed: ");
      try (ChatStream stream = sb.stream(ChatRequest.builder("chat").user("Count from one to five in words.").maxTokens(50).build())) {
        for (ChatEvent event : stream) {
          if (event instanceof ChatEvent.TextDelta d) {
            out.print(d.text());
            out.flush();
          }
        }
      }
      out.println();
      return true;
    }
  }
}
