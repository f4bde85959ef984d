package dev.switchboard.azure;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.openai.OpenAiApi;
import dev.switchboard.openai.OpenAiCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * Typed construction of {@code azure-openai} deployments, instead of spelling setting keys:
 *
 * <pre>{@code
 * // api-key on the classic deployment URL (api-version 2024-10-21 unless set)
 * Deployment east = AzureOpenAi.deployment("azure-east")
 *     .endpoint("https://my-east.openai.azure.com").apiKey(System.getenv("AZURE_OPENAI_API_KEY")).build();
 *
 * // Entra ID on the v1 URL; the token supplier travels with the factory
 * Deployment west = AzureOpenAi.deployment("azure-west")
 *     .endpoint("https://my-west.openai.azure.com").urlStyle(UrlStyle.V1).entraId().build();
 * Switchboard sb = Switchboard.builder()
 *     .providerFactory(AzureOpenAi.factory().withTokenSupplier("azure-west", tokens))
 *     .deployment(east).deployment(west)
 *     ...
 * }</pre>
 *
 * The settings are documented on {@link AzureOpenAiProviderFactory}; they are checked when the
 * {@code Switchboard} is built.
 */
public final class AzureOpenAi {
  private AzureOpenAi() {}

  /** Starts deployment {@code name} of type {@code azure-openai}. */
  public static DeploymentBuilder deployment(String name) {
    return new DeploymentBuilder(name);
  }

  /** A factory to register token suppliers on; pass it to {@code Switchboard.builder().providerFactory(...)}. */
  public static AzureOpenAiProviderFactory factory() {
    return new AzureOpenAiProviderFactory();
  }

  /** Builds a {@link Deployment} of type {@code azure-openai}. */
  public static final class DeploymentBuilder {
    private final Deployment.Builder builder;

    private DeploymentBuilder(String name) {
      builder = Deployment.builder(name, AzureOpenAiProviderFactory.TYPE);
    }

    /** The resource URL, e.g. {@code https://my-resource.openai.azure.com}, without {@code /openai}. */
    public DeploymentBuilder endpoint(String endpoint) {
      builder.setting(AzureSettings.ENDPOINT, Objects.requireNonNull(endpoint, "endpoint == null"));
      return this;
    }

    /** Authenticates with the resource key in the {@code api-key} header. */
    public DeploymentBuilder apiKey(Secret apiKey) {
      builder.setting(AzureSettings.AUTH, AuthMode.API_KEY.setting);
      builder.secret(AzureSettings.API_KEY, Objects.requireNonNull(apiKey, "apiKey == null"));
      return this;
    }

    /** Authenticates with the resource key in the {@code api-key} header. */
    public DeploymentBuilder apiKey(String apiKey) {
      return apiKey(Secret.of(apiKey));
    }

    /**
     * Authenticates with Microsoft Entra ID bearer tokens: from the supplier registered with
     * {@link AzureOpenAiProviderFactory#withTokenSupplier} for this deployment, else from
     * azure-identity's {@code DefaultAzureCredential}.
     */
    public DeploymentBuilder entraId() {
      builder.setting(AzureSettings.AUTH, AuthMode.ENTRA.setting);
      return this;
    }

    public DeploymentBuilder urlStyle(UrlStyle style) {
      builder.setting(AzureSettings.URL_STYLE, Objects.requireNonNull(style, "style == null").setting());
      return this;
    }

    /** The {@code api-version} query parameter, e.g. {@code 2025-04-01-preview}. */
    public DeploymentBuilder apiVersion(String apiVersion) {
      builder.setting(AzureSettings.API_VERSION, Objects.requireNonNull(apiVersion, "apiVersion == null"));
      return this;
    }

    /** A 429 asking to wait longer than this is QUOTA_EXCEEDED rather than RATE_LIMITED (default 60 s). */
    public DeploymentBuilder quotaRetryAfterThreshold(Duration threshold) {
      Objects.requireNonNull(threshold, "threshold == null");
      builder.setting(AzureSettings.QUOTA_THRESHOLD, Long.toString(threshold.toSeconds()));
      return this;
    }

    /**
     * Which request field carries {@code ChatRequest.maxTokens} on Chat Completions (YAML
     * {@code max-tokens-field}); {@link TokenLimitField#MAX_COMPLETION_TOKENS} unless set.
     */
    public DeploymentBuilder maxTokensField(TokenLimitField field) {
      builder.setting(AzureSettings.MAX_TOKENS_FIELD, Objects.requireNonNull(field, "field == null").wireName());
      return this;
    }

    /**
     * The wire for chat and streams: Chat Completions (the default) or the Responses API, which
     * Azure serves on the v1 URL only (set {@link #urlStyle} to {@link UrlStyle#V1}).
     */
    public DeploymentBuilder api(OpenAiApi api) {
      builder.setting(AzureSettings.API, Objects.requireNonNull(api, "api == null").setting());
      return this;
    }

    /** A region tag for region-aware routing, e.g. {@code eastus}. */
    public DeploymentBuilder region(String region) {
      builder.region(region);
      return this;
    }

    public Deployment build() {
      return builder.build();
    }
  }

  /**
   * The Chat Completions field an Azure deployment reads the token limit from. Newer Azure OpenAI
   * models (the o-series and later) take only {@code max_completion_tokens}; older deployments and
   * api-versions only {@code max_tokens}. (The Responses API always uses {@code max_output_tokens}.)
   */
  public enum TokenLimitField {
    /** {@code max_completion_tokens}, the default: what current models expect; reasoning models require it. */
    MAX_COMPLETION_TOKENS("max_completion_tokens", OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS),
    /** {@code max_tokens}: the legacy field older deployments and api-versions read. */
    MAX_TOKENS("max_tokens", OpenAiCodec.MaxTokensField.MAX_TOKENS);

    private final String wireName;
    private final OpenAiCodec.MaxTokensField codecField;

    TokenLimitField(String wireName, OpenAiCodec.MaxTokensField codecField) {
      this.wireName = wireName;
      this.codecField = codecField;
    }

    /** The JSON field name, which is also the YAML {@code max-tokens-field} value. */
    public String wireName() {
      return wireName;
    }

    /** The constant for a wire name (as written in YAML), if it is one. */
    public static java.util.Optional<TokenLimitField> ofWireName(String name) {
      for (TokenLimitField f : values()) {
        if (f.wireName.equals(name)) return java.util.Optional.of(f);
      }
      return java.util.Optional.empty();
    }

    OpenAiCodec.MaxTokensField codecField() {
      return codecField;
    }
  }
}
