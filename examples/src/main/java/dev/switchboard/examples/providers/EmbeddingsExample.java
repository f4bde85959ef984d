package dev.switchboard.examples.providers;

import dev.switchboard.EmbeddingRequest;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.examples.FailoverDemo;
import dev.switchboard.openai.OpenAi;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Semantic search in a few lines: embed some documents and a question, rank the documents by
 * cosine similarity. The alias {@code embed} uses OpenAI ({@code OPENAI_API_KEY};
 * {@code OPENAI_EMBEDDING_MODEL}, default text-embedding-3-small; {@code OPENAI_BASE_URL}) and/or
 * Bedrock Titan ({@code amazon.titan-embed-text-v2:0}, when AWS credentials are found; see
 * {@link BedrockExample}), OpenAI first. With neither it says so and exits 0.
 */
public final class EmbeddingsExample {
  static final List<String> DOCUMENTS = List.of(
      "Reset your password from the account settings page.",
      "Invoices are emailed on the first day of each month.",
      "A stuck virtual machine can be restarted from the console.",
      "Our support team answers within one business day.");
  static final String QUESTION = "How do I restart a virtual machine that is stuck?";

  private EmbeddingsExample() {}

  public static void main(String[] args) {
    FailoverDemo.quietLibraryLogs();
    run(System.out, System.getenv());
  }

  /** Returns whether it called a model. */
  static boolean run(PrintStream out, Map<String, String> environment) {
    ExampleEnv env = new ExampleEnv(environment);
    Switchboard.Builder builder = Switchboard.builder();
    ModelAlias.Builder alias = ModelAlias.builder("embed");
    if (env.has("OPENAI_API_KEY")) {
      OpenAi.DeploymentBuilder openai = OpenAi.deployment("openai").apiKey(env.get("OPENAI_API_KEY").orElseThrow());
      env.get("OPENAI_BASE_URL").ifPresent(openai::baseUrl);
      builder.deployment(openai.build());
      alias.target("openai", env.get("OPENAI_EMBEDDING_MODEL", "text-embedding-3-small"));
    }
    if (env.awsCredentialsAvailable()) {
      builder.deployment(Bedrock.deployment("bedrock").region(env.get("AWS_REGION", "us-west-2")).defaultCredentials().build());
      alias.target("bedrock", "amazon.titan-embed-text-v2:0");
    }
    if (!env.has("OPENAI_API_KEY") && !env.awsCredentialsAvailable()) {
      ExampleEnv.explain(out, "EmbeddingsExample",
          "OPENAI_API_KEY           for OpenAI embeddings (OPENAI_EMBEDDING_MODEL, default text-embedding-3-small)",
          "or AWS credentials       for Bedrock Titan Text Embeddings V2 (AWS_REGION, default us-west-2)");
      return false;
    }
    try (Switchboard sb = builder.model(alias.build()).build()) {
      List<String> inputs = new ArrayList<>(DOCUMENTS);
      inputs.add(QUESTION);
      EmbeddingResponse r = sb.embed(EmbeddingRequest.of("embed", inputs));
      float[] question = r.vectors().get(inputs.size() - 1);
      out.println("Q: " + QUESTION + "   (" + r.vectors().size() + " vectors of " + question.length + " dimensions from "
          + r.servedBy() + ")");
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < DOCUMENTS.size(); i++) order.add(i);
      order.sort(Comparator.comparingDouble((Integer i) -> cosine(question, r.vectors().get(i))).reversed());
      for (int i : order) out.printf("  %.3f  %s%n", cosine(question, r.vectors().get(i)), DOCUMENTS.get(i));
      return true;
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
