package dev.switchboard.examples.providers;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.examples.FailoverDemo;
import dev.switchboard.openai.OpenAi;
import java.io.PrintStream;
import java.util.Map;

/**
 * OpenAI (or any OpenAI-compatible server) through Switchboard: one answer, then one streamed.
 * Needs {@code OPENAI_API_KEY}; optional {@code OPENAI_MODEL} (default gpt-4o-mini) and
 * {@code OPENAI_BASE_URL} (e.g. {@code http://localhost:11434/v1} for Ollama). Without a key it
 * says so and exits 0.
 */
public final class OpenAiExample {
  private OpenAiExample() {}

  public static void main(String[] args) {
    FailoverDemo.quietLibraryLogs();
    run(System.out, System.getenv());
  }

  /** Returns whether it called the model. */
  static boolean run(PrintStream out, Map<String, String> environment) {
    ExampleEnv env = new ExampleEnv(environment);
    if (!env.has("OPENAI_API_KEY")) {
      ExampleEnv.explain(out, "OpenAiExample", "OPENAI_API_KEY    your API key (required)",
          "OPENAI_MODEL      default gpt-4o-mini", "OPENAI_BASE_URL   for an OpenAI-compatible server, e.g. http://localhost:11434/v1");
      return false;
    }
    OpenAi.DeploymentBuilder openai = OpenAi.deployment("openai").apiKey(env.get("OPENAI_API_KEY").orElseThrow());
    env.get("OPENAI_BASE_URL").ifPresent(openai::baseUrl);
    try (Switchboard sb = Switchboard.builder()
        .deployment(openai.build())
        .model(ModelAlias.builder("chat").target("openai", env.get("OPENAI_MODEL", "gpt-4o-mini")).build())
        .build()) {
      ChatResponse r = sb.chat(ChatRequest.builder("chat")
          .system("Answer in one sentence.").user("What does a circuit breaker do in a distributed system?").maxTokens(100).build());
      out.println(r.text());
      out.println("  (" + r.servedBy() + ", " + r.usage().inputTokens() + " tokens in, " + r.usage().outputTokens() + " out)");

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
