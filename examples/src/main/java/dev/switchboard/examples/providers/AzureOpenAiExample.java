package dev.switchboard.examples.providers;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.azure.AzureMetadata;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.examples.FailoverDemo;
import java.io.PrintStream;
import java.util.Map;

/**
 * Azure OpenAI through Switchboard, with the content-filter results Azure adds to every answer.
 * Needs {@code AZURE_OPENAI_ENDPOINT} (https://RESOURCE.openai.azure.com),
 * {@code AZURE_OPENAI_API_KEY} and {@code AZURE_OPENAI_DEPLOYMENT} (your deployment's name);
 * optional {@code AZURE_OPENAI_API_VERSION}. Without them it says so and exits 0. For Entra ID
 * instead of a key, use {@code AzureOpenAi.deployment(...).entraId()} with azure-identity on the
 * classpath (see the provider's Javadoc).
 */
public final class AzureOpenAiExample {
  private AzureOpenAiExample() {}

  public static void main(String[] args) {
    FailoverDemo.quietLibraryLogs();
    run(System.out, System.getenv());
  }

  /** Returns whether it called the model. */
  static boolean run(PrintStream out, Map<String, String> environment) {
    ExampleEnv env = new ExampleEnv(environment);
    if (!env.has("AZURE_OPENAI_ENDPOINT") || !env.has("AZURE_OPENAI_API_KEY") || !env.has("AZURE_OPENAI_DEPLOYMENT")) {
      ExampleEnv.explain(out, "AzureOpenAiExample",
          "AZURE_OPENAI_ENDPOINT     https://RESOURCE.openai.azure.com (required)",
          "AZURE_OPENAI_API_KEY      the resource key (required)",
          "AZURE_OPENAI_DEPLOYMENT   your deployment's name (required)",
          "AZURE_OPENAI_API_VERSION  default: the provider's GA version");
      return false;
    }
    AzureOpenAi.DeploymentBuilder azure = AzureOpenAi.deployment("azure")
        .endpoint(env.get("AZURE_OPENAI_ENDPOINT").orElseThrow())
        .apiKey(env.get("AZURE_OPENAI_API_KEY").orElseThrow());
    env.get("AZURE_OPENAI_API_VERSION").ifPresent(azure::apiVersion);
    try (Switchboard sb = Switchboard.builder()
        .deployment(azure.build())
        .model(ModelAlias.builder("chat").target("azure", env.get("AZURE_OPENAI_DEPLOYMENT").orElseThrow()).build())
        .build()) {
      ChatResponse r = sb.chat(ChatRequest.builder("chat").user("Name three Azure regions in Europe.").maxTokens(100).build());
      out.println(r.text());
      out.println("  (" + r.servedBy() + ", model " + r.model() + ", request id " + r.requestId().orElse("-") + ")");
      AzureMetadata.promptFilterResults(r).ifPresent(f -> out.println("  prompt filtered: " + f.filtered()));
      AzureMetadata.contentFilterResults(r).ifPresent(f -> out.println("  answer filter categories: " + f.categories().keySet()));
      return true;
    }
  }
}
