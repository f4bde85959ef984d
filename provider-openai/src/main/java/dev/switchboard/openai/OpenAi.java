package dev.switchboard.openai;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import java.util.Objects;

/**
 * Typed construction of {@code openai} deployments, instead of spelling setting keys:
 *
 * <pre>{@code
 * Deployment d = OpenAi.deployment("openai-main").apiKey(System.getenv("OPENAI_API_KEY")).build();
 * Deployment local = OpenAi.deployment("ollama").baseUrl("http://localhost:11434/v1")
 *     .maxTokensField(OpenAiCodec.MaxTokensField.MAX_TOKENS).build();
 * }</pre>
 *
 * The settings are those documented on {@link OpenAiProvider}; they are checked when the
 * {@code Switchboard} is built.
 */
public final class OpenAi {
  private OpenAi() {}

  /** Starts deployment {@code name} of type {@code openai}. */
  public static DeploymentBuilder deployment(String name) {
    return new DeploymentBuilder(name);
  }

  /** Builds a {@link Deployment} of type {@code openai}. */
  public static final class DeploymentBuilder {
    private final Deployment.Builder builder;

    private DeploymentBuilder(String name) {
      builder = Deployment.builder(name, OpenAiProvider.TYPE);
    }

    /** The API key, sent as a bearer token. */
    public DeploymentBuilder apiKey(Secret apiKey) {
      builder.secret(OpenAiSettings.API_KEY, Objects.requireNonNull(apiKey, "apiKey == null"));
      return this;
    }

    /** The API key, sent as a bearer token. */
    public DeploymentBuilder apiKey(String apiKey) {
      return apiKey(Secret.of(apiKey));
    }

    /** The API base, e.g. {@code http://localhost:8000/v1} for a local vLLM; default OpenAI's. */
    public DeploymentBuilder baseUrl(String baseUrl) {
      builder.setting(OpenAiSettings.BASE_URL, Objects.requireNonNull(baseUrl, "baseUrl == null"));
      return this;
    }

    public DeploymentBuilder organization(String organization) {
      builder.setting(OpenAiSettings.ORGANIZATION, Objects.requireNonNull(organization, "organization == null"));
      return this;
    }

    public DeploymentBuilder project(String project) {
      builder.setting(OpenAiSettings.PROJECT, Objects.requireNonNull(project, "project == null"));
      return this;
    }

    public DeploymentBuilder maxTokensField(OpenAiCodec.MaxTokensField field) {
      builder.setting(OpenAiSettings.MAX_TOKENS_FIELD, Objects.requireNonNull(field, "field == null").wireName());
      return this;
    }

    /** The wire for chat and streams: Chat Completions (the default) or the Responses API. */
    public DeploymentBuilder api(OpenAiApi api) {
      builder.setting(OpenAiSettings.API, Objects.requireNonNull(api, "api == null").setting());
      return this;
    }

    /** A region tag for region-aware routing. */
    public DeploymentBuilder region(String region) {
      builder.region(region);
      return this;
    }

    public Deployment build() {
      return builder.build();
    }
  }
}
