package dev.switchboard.azure;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Suggestions;
import dev.switchboard.http.Endpoints;
import dev.switchboard.http.HeaderValues;
import dev.switchboard.openai.OpenAiApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * One Azure OpenAI deployment's validated settings; see {@link AzureOpenAiProviderFactory} for
 * what each means. Every problem is collected and reported in one exception.
 */
record AzureSettings(
    String name,
    HttpUrl endpoint,
    UrlStyle urlStyle,
    Optional<String> apiVersion,
    AuthMode auth,
    Optional<Secret> apiKey,
    Duration quotaThreshold,
    Optional<String> maxTokensField,
    OpenAiApi api) {

  static final String ENDPOINT = "endpoint";
  static final String API_VERSION = "api-version";
  static final String URL_STYLE = "url-style";
  static final String AUTH = "auth";
  static final String QUOTA_THRESHOLD = "quota-retry-after-threshold-seconds";
  static final String MAX_TOKENS_FIELD = "max-tokens-field";
  static final String API_KEY = "api-key";
  static final String API = OpenAiApi.SETTING;

  static final Set<String> SETTINGS = Set.of(ENDPOINT, API_VERSION, URL_STYLE, AUTH, QUOTA_THRESHOLD, MAX_TOKENS_FIELD, API);
  static final Set<String> SECRETS = Set.of(API_KEY);
  /** Every key a deployment of type azure-openai reads, settings and secrets. */
  static final Set<String> KEYS = Set.of(ENDPOINT, API_VERSION, URL_STYLE, AUTH, QUOTA_THRESHOLD, MAX_TOKENS_FIELD, API, API_KEY);

  /** The GA api-version sent on deployment URLs unless a deployment names another. */
  static final String DEFAULT_API_VERSION = "2024-10-21";
  static final Duration DEFAULT_QUOTA_THRESHOLD = Duration.ofSeconds(60);

  private static final Pattern API_VERSION_SHAPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Azure's own hosts serve the API at the root; any path there is a copy-paste mistake. */
  private static final List<String> AZURE_HOST_SUFFIXES =
      List.of(".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com");

  static AzureSettings parse(Deployment d, boolean allowPlainHttp, boolean hasTokenSupplier) {
    List<String> problems = new ArrayList<>();
    AzureSettings settings = read(d, allowPlainHttp, hasTokenSupplier, problems);
    if (!problems.isEmpty()) throw new ConfigException(null, problems);
    return settings;
  }

  /**
   * Every problem with {@code d}'s settings, one per entry. Without a token supplier known, a
   * deployment with neither {@code auth} nor an {@code api-key} is not reported here: a supplier
   * registered in code makes it an Entra ID deployment, and {@link #parse} decides.
   */
  static List<String> problems(Deployment d, boolean allowPlainHttp, boolean hasTokenSupplier) {
    List<String> problems = new ArrayList<>();
    boolean undecided = !hasTokenSupplier && d.setting(AUTH).isEmpty() && d.secret(API_KEY).isEmpty();
    read(d, allowPlainHttp, hasTokenSupplier || undecided, problems);
    return problems;
  }

  private static AzureSettings read(Deployment d, boolean allowPlainHttp, boolean hasTokenSupplier, List<String> problems) {
    String where = "deployments." + d.name();
    for (String key : new TreeSet<>(d.settings().keySet())) {
      if (SETTINGS.contains(key)) continue;
      if (SECRETS.contains(key)) problems.add(where + "." + key + ": must be given as a secret, not a plain setting");
      else problems.add(Suggestions.unknownKey(where, key, KEYS));
    }
    for (String key : new TreeSet<>(d.secrets().keySet())) {
      if (!SECRETS.contains(key)) problems.add(Suggestions.unknownKey(where, key, KEYS));
    }

    HttpUrl endpoint = null;
    Optional<String> endpointValue = d.setting(ENDPOINT);
    if (endpointValue.isEmpty()) {
      problems.add(where + "." + ENDPOINT + ": missing; the resource URL, e.g. https://myresource.openai.azure.com");
    } else {
      try {
        endpoint = Endpoints.parse(d.name(), ENDPOINT, endpointValue.get().trim(), allowPlainHttp);
        checkPath(endpoint, where + "." + ENDPOINT, problems);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }

    UrlStyle style = UrlStyle.DEPLOYMENT;
    try {
      style = d.setting(URL_STYLE).map(v -> UrlStyle.parse(v, where + "." + URL_STYLE)).orElse(UrlStyle.DEPLOYMENT);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }

    Optional<String> apiVersion = d.setting(API_VERSION).map(String::trim);
    if (apiVersion.isPresent() && !API_VERSION_SHAPE.matcher(apiVersion.get()).matches()) {
      problems.add(where + "." + API_VERSION + ": '" + apiVersion.get() + "' is not an api-version such as "
          + DEFAULT_API_VERSION);
    }
    if (apiVersion.isEmpty() && style == UrlStyle.DEPLOYMENT) apiVersion = Optional.of(DEFAULT_API_VERSION);

    Optional<Secret> apiKey = d.secret(API_KEY);
    AuthMode auth = apiKey.isPresent() || !hasTokenSupplier ? AuthMode.API_KEY : AuthMode.ENTRA;
    try {
      if (d.setting(AUTH).isPresent()) {
        auth = AuthMode.parse(d.setting(AUTH).get(), where + "." + AUTH);
      } else if (apiKey.isPresent() && hasTokenSupplier) {
        problems.add(where + "." + AUTH + ": both the secret api-key and a token supplier are given; set auth to"
            + " api-key or entra");
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (auth == AuthMode.API_KEY && apiKey.isEmpty()) {
      problems.add(where + "." + API_KEY + ": missing; auth is api-key (set auth: entra to use Entra ID tokens)");
    }
    apiKey.flatMap(k -> HeaderValues.problem(k.reveal()))
        .ifPresent(p -> problems.add(where + "." + API_KEY + ": " + p));
    if (auth == AuthMode.ENTRA && apiKey.isPresent()) {
      problems.add(where + "." + API_KEY + ": given, but auth is entra; remove one of them");
    }

    Duration threshold = DEFAULT_QUOTA_THRESHOLD;
    Optional<String> thresholdValue = d.setting(QUOTA_THRESHOLD);
    if (thresholdValue.isPresent()) {
      try {
        long seconds = Long.parseLong(thresholdValue.get().trim());
        if (seconds <= 0) throw new NumberFormatException();
        threshold = Duration.ofSeconds(seconds);
      } catch (NumberFormatException e) {
        problems.add(where + "." + QUOTA_THRESHOLD + ": '" + thresholdValue.get() + "' is not a positive whole number of seconds");
      }
    }

    Optional<String> maxTokensField = d.setting(MAX_TOKENS_FIELD).map(v -> v.trim().toLowerCase(Locale.ROOT));
    if (maxTokensField.isPresent() && AzureOpenAi.TokenLimitField.ofWireName(maxTokensField.get()).isEmpty()) {
      problems.add(where + "." + MAX_TOKENS_FIELD + ": '" + d.setting(MAX_TOKENS_FIELD).get()
          + "' is not one of max_completion_tokens, max_tokens");
    }

    OpenAiApi api = OpenAiApi.CHAT_COMPLETIONS;
    try {
      api = d.setting(API).map(v -> OpenAiApi.parse(v, where + "." + API)).orElse(OpenAiApi.CHAT_COMPLETIONS);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (api == OpenAiApi.RESPONSES && style != UrlStyle.V1) {
      problems.add(where + "." + API + ": responses is served on the v1 URL ({endpoint}/openai/v1/responses); set "
          + URL_STYLE + ": v1");
    }

    if (!problems.isEmpty()) return null;
    return new AzureSettings(d.name(), endpoint, style, apiVersion, auth, apiKey, threshold, maxTokensField, api);
  }

  private static void checkPath(HttpUrl endpoint, String where, List<String> problems) {
    List<String> segments = endpoint.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
    if (segments.stream().anyMatch(s -> s.equalsIgnoreCase("openai"))) {
      problems.add(where + ": give the base URL without /openai/... (Switchboard appends it), e.g. "
          + endpoint.newBuilder().encodedPath("/").build());
      return;
    }
    String host = endpoint.host().toLowerCase(Locale.ROOT);
    if (!segments.isEmpty() && AZURE_HOST_SUFFIXES.stream().anyMatch(host::endsWith)) {
      problems.add(where + ": an Azure resource endpoint has no path; use "
          + endpoint.newBuilder().encodedPath("/").build());
    }
  }

  @Override
  public String toString() {
    return "AzureSettings[name=" + name + ", endpoint=" + endpoint + ", urlStyle=" + urlStyle + ", apiVersion="
        + apiVersion.orElse("-") + ", auth=" + auth.setting + "]";
  }
}
