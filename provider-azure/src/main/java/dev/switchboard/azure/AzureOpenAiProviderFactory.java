package dev.switchboard.azure;

import dev.switchboard.Deployment;
import dev.switchboard.HttpSettings;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Registers deployment type {@code azure-openai}: Azure OpenAI chat completions (streamed or
 * not) and embeddings, reusing the OpenAI codec for the bodies.
 *
 * <h2>Deployment settings</h2>
 * Any other key is rejected, naming it, when the {@code Switchboard} is built.
 * <ul>
 *   <li>{@code endpoint} (required) — the resource URL: {@code https://NAME.openai.azure.com},
 *       {@code https://NAME.cognitiveservices.azure.com}, {@code https://NAME.services.ai.azure.com},
 *       or an API Management gateway such as {@code https://NAME.azure-api.net/prefix}.
 *       Switchboard appends {@code /openai/...}: give the URL without it.
 *   <li>{@code url-style} — {@code deployment} (default):
 *       {@code POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version={v}};
 *       or {@code v1}: {@code POST {endpoint}/openai/v1/chat/completions} with the deployment name
 *       in the body's {@code model}. Embeddings use {@code .../embeddings} in the same form. The
 *       Azure deployment name is the target's model ({@code ModelAlias.target("azure-east", "gpt-4o-prod")})
 *       and is sent as one percent-encoded path segment.
 *   <li>{@code api-version} — sent as the {@code api-version} query parameter; default
 *       {@value AzureSettings#DEFAULT_API_VERSION} (GA) for {@code deployment} URLs; not sent with
 *       {@code v1} unless set (e.g. {@code preview}).
 *   <li>{@code auth} — {@code api-key}: the secret {@code api-key} goes in the {@code api-key}
 *       header; or {@code entra}: {@code Authorization: Bearer} with a Microsoft Entra ID token.
 *       Default: {@code entra} when this factory holds a token supplier for the deployment and
 *       no {@code api-key} secret is given, else {@code api-key}.
 *   <li>secret {@code api-key} — the resource key, for {@code auth = api-key}.
 *   <li>{@code quota-retry-after-threshold-seconds} — default 60: a 429 whose Retry-After is longer
 *       is {@code QUOTA_EXCEEDED} (routing moves away at once) instead of {@code RATE_LIMITED}.
 *   <li>{@code max-tokens-field} — {@code max_completion_tokens} (default; reasoning models need
 *       it) or {@code max_tokens} (older models and API versions).
 *   <li>{@code api} — {@code chat-completions} (default) or {@code responses}: chat and streams go
 *       to {@code POST {endpoint}/openai/v1/responses} in the Responses API's format (see
 *       {@code dev.switchboard.openai.ResponsesWire}); needs {@code url-style: v1}. Azure's
 *       content-filter fields are Chat Completions fields, so a Responses answer carries none.
 * </ul>
 * {@code ChatRequest.providerOptions("azure-openai")} entries are copied into the body as
 * top-level fields (e.g. {@code data_sources}, {@code reasoning_effort}).
 *
 * <h2>Entra ID tokens</h2>
 * A token supplier cannot be written as a setting, so it travels with the factory: register one
 * per deployment with {@link #withTokenSupplier} and hand that factory to
 * {@code Switchboard.builder().providerFactory(...)} (it then replaces the one found on the
 * classpath). A deployment with {@code auth = entra} and no supplier uses azure-identity's
 * {@code DefaultAzureCredential} when {@code com.azure:azure-identity} is on the classpath, and
 * is rejected otherwise. Tokens are cached per deployment and refreshed in the background from 5
 * minutes before they expire; a token is never sent within 30 s of its expiry. Tokens and keys
 * are never logged.
 *
 * <h2>What comes back</h2>
 * Responses carry {@code apim-request-id} (else {@code x-request-id}) as request id, the
 * {@code x-ratelimit-remaining-*} headers as rate-limit info, and typed metadata under
 * {@link AzureMetadata}'s keys (prompt and completion filter results, region, deployment).
 * Failures are {@link AzureOpenAiException}s: HTTP 400 with code {@code content_filter} is
 * {@code CONTENT_FILTERED} naming the filtered categories; 429 is {@code RATE_LIMITED} with
 * {@code retryAfter} from {@code retry-after-ms}, {@code x-ms-retry-after-ms} or
 * {@code Retry-After}, or {@code QUOTA_EXCEEDED} above the threshold. A completion cut by the
 * filter ends with {@code FinishReason.CONTENT_FILTER}.
 */
public final class AzureOpenAiProviderFactory implements ProviderFactory {
  /** The deployment type this factory serves. */
  public static final String TYPE = "azure-openai";

  private final Map<String, AzureTokenSupplier> tokenSuppliers;

  /** A factory without token suppliers (what {@link java.util.ServiceLoader} creates). */
  public AzureOpenAiProviderFactory() {
    this(Map.of());
  }

  private AzureOpenAiProviderFactory(Map<String, AzureTokenSupplier> tokenSuppliers) {
    this.tokenSuppliers = Map.copyOf(tokenSuppliers);
  }

  /**
   * A copy of this factory that authenticates deployment {@code deploymentName} with tokens from
   * {@code supplier} (for example {@link AzureIdentityTokens#of}).
   */
  public AzureOpenAiProviderFactory withTokenSupplier(String deploymentName, AzureTokenSupplier supplier) {
    Objects.requireNonNull(deploymentName, "deploymentName == null");
    Objects.requireNonNull(supplier, "supplier == null");
    Map<String, AzureTokenSupplier> copy = new LinkedHashMap<>(tokenSuppliers);
    copy.put(deploymentName, supplier);
    return new AzureOpenAiProviderFactory(copy);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The SPI version this factory was compiled against: a literal, never core's constant. */
  @Override
  public int specVersion() {
    return 3;
  }

  @Override
  public Set<String> settingKeys() {
    return AzureSettings.KEYS;
  }

  /** Checks as {@link #create} does, with this factory's token suppliers; see {@link AzureSettings#problems}. */
  @Override
  public List<String> validate(Deployment deployment, HttpSettings http) {
    return AzureSettings.problems(deployment, http.allowPlainHttp(), tokenSuppliers.containsKey(deployment.name()));
  }

  @Override
  public ChatProvider create(Deployment deployment, ProviderContext context) {
    Objects.requireNonNull(deployment, "deployment == null");
    Objects.requireNonNull(context, "context == null");
    if (!deployment.type().equals(TYPE)) {
      throw new IllegalArgumentException("deployments." + deployment.name() + ": type '" + deployment.type()
          + "' given to the " + TYPE + " provider factory");
    }
    AzureTokenSupplier supplier = tokenSuppliers.get(deployment.name());
    AzureSettings settings = AzureSettings.parse(deployment, context.http().allowPlainHttp(), supplier != null);
    OpenAiCodec.MaxTokensField maxTokensField = settings.maxTokensField()
        .map(v -> AzureOpenAi.TokenLimitField.ofWireName(v).map(AzureOpenAi.TokenLimitField::codecField)
            .orElseThrow(() -> new IllegalArgumentException(
            "deployments." + deployment.name() + "." + AzureSettings.MAX_TOKENS_FIELD + ": '" + v
                + "' is not one of max_completion_tokens, max_tokens")))
        .orElse(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS);
    AzureAuth auth;
    if (settings.auth() == AuthMode.API_KEY) {
      auth = AzureAuth.apiKey(settings.apiKey().orElseThrow());
    } else {
      if (supplier == null) supplier = defaultCredential(deployment.name());
      auth = AzureAuth.entra(new TokenCache(supplier, context.clock(),
          context.httpClient().dispatcher().executorService(), deployment.name()));
    }
    return new AzureOpenAiProvider(deployment.name(), settings, maxTokensField, auth, context);
  }

  /** azure-identity's default credential, reached only when the library is present. */
  private static AzureTokenSupplier defaultCredential(String deployment) {
    if (!identityAvailable()) {
      throw new IllegalArgumentException("deployments." + deployment + ": auth is entra but no token supplier was"
          + " given; register one with new AzureOpenAiProviderFactory().withTokenSupplier(\"" + deployment
          + "\", ...) passed to Switchboard.builder().providerFactory(...), or add com.azure:azure-identity to the"
          + " classpath to use DefaultAzureCredential");
    }
    // AzureIdentityTokens is loaded only here, after the check: without azure-identity it is never touched.
    return AzureIdentityTokens.defaultCredential();
  }

  private static boolean identityAvailable() {
    try {
      Class.forName("com.azure.identity.DefaultAzureCredentialBuilder", false, AzureOpenAiProviderFactory.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "AzureOpenAiProviderFactory[tokenSuppliers=" + tokenSuppliers.keySet() + "]";
  }
}
