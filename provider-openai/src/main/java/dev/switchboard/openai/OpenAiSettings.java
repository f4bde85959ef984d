package dev.switchboard.openai;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Suggestions;
import dev.switchboard.http.Endpoints;
import dev.switchboard.http.HeaderValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;

/** The validated settings of one {@code openai} deployment; see {@link OpenAiProvider} for their meaning. */
record OpenAiSettings(
    HttpUrl baseUrl,
    Optional<Secret> apiKey,
    Optional<String> organization,
    Optional<String> project,
    OpenAiCodec.MaxTokensField maxTokensField,
    OpenAiApi api) {

  static final String BASE_URL = "base-url";
  static final String ORGANIZATION = "organization";
  static final String PROJECT = "project";
  static final String MAX_TOKENS_FIELD = "max-tokens-field";
  static final String API_KEY = "api-key";
  static final String API = OpenAiApi.SETTING;
  static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  private static final Set<String> SETTINGS = Set.of(BASE_URL, ORGANIZATION, PROJECT, MAX_TOKENS_FIELD, API);
  private static final Set<String> SECRETS = Set.of(API_KEY);
  /** Every key a deployment of type openai reads, settings and secrets. */
  static final Set<String> KEYS = Set.of(BASE_URL, ORGANIZATION, PROJECT, MAX_TOKENS_FIELD, API, API_KEY);

  /**
   * Reads and checks {@code d}'s settings, reporting every problem at once.
   *
   * @throws IllegalArgumentException naming each unknown or bad setting
   */
  static OpenAiSettings parse(Deployment d, boolean allowPlainHttp) {
    List<String> problems = new ArrayList<>();
    OpenAiSettings settings = read(d, allowPlainHttp, problems);
    if (!problems.isEmpty()) throw new ConfigException(null, problems);
    return settings;
  }

  /** Every problem with {@code d}'s settings, one per entry (empty when they are valid). */
  static List<String> problems(Deployment d, boolean allowPlainHttp) {
    List<String> problems = new ArrayList<>();
    read(d, allowPlainHttp, problems);
    return problems;
  }

  private static OpenAiSettings read(Deployment d, boolean allowPlainHttp, List<String> problems) {
    String where = "deployments." + d.name() + ".";
    for (String key : new TreeSet<>(d.settings().keySet())) {
      if (SETTINGS.contains(key)) continue;
      if (SECRETS.contains(key)) problems.add(where + key + ": must be given as a secret, not a plain setting");
      else problems.add(Suggestions.unknownKey("deployments." + d.name(), key, KEYS));
    }
    for (String key : new TreeSet<>(d.secrets().keySet())) {
      if (!SECRETS.contains(key)) problems.add(Suggestions.unknownKey("deployments." + d.name(), key, KEYS));
    }
    HttpUrl base = null;
    try {
      base = Endpoints.parse(d.name(), BASE_URL, d.setting(BASE_URL).orElse(DEFAULT_BASE_URL), allowPlainHttp);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    Optional<String> organization = nonBlank(d, ORGANIZATION, where, problems);
    Optional<String> project = nonBlank(d, PROJECT, where, problems);
    OpenAiCodec.MaxTokensField field = OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS;
    Optional<String> fieldName = d.setting(MAX_TOKENS_FIELD);
    if (fieldName.isPresent()) {
      Optional<OpenAiCodec.MaxTokensField> parsed = OpenAiCodec.MaxTokensField.ofWireName(fieldName.get().trim());
      if (parsed.isPresent()) field = parsed.get();
      else problems.add(where + MAX_TOKENS_FIELD + ": '" + fieldName.get() + "' is neither max_completion_tokens nor max_tokens");
    }
    OpenAiApi api = OpenAiApi.CHAT_COMPLETIONS;
    try {
      api = d.setting(API).map(v -> OpenAiApi.parse(v, where + API)).orElse(OpenAiApi.CHAT_COMPLETIONS);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    d.secret(API_KEY).flatMap(k -> HeaderValues.problem(k.reveal()))
        .ifPresent(p -> problems.add(where + API_KEY + ": " + p));
    organization.flatMap(HeaderValues::problem).ifPresent(p -> problems.add(where + ORGANIZATION + ": " + p));
    project.flatMap(HeaderValues::problem).ifPresent(p -> problems.add(where + PROJECT + ": " + p));
    if (!problems.isEmpty()) return null;
    return new OpenAiSettings(base, d.secret(API_KEY), organization, project, field, api);
  }

  private static Optional<String> nonBlank(Deployment d, String key, String where, List<String> problems) {
    Optional<String> v = d.setting(key);
    if (v.isPresent() && v.get().isBlank()) {
      problems.add(where + key + ": is blank (leave it out instead)");
      return Optional.empty();
    }
    return v.map(String::trim);
  }
}
