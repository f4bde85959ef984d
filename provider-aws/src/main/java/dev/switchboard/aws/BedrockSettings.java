package dev.switchboard.aws;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Suggestions;
import dev.switchboard.http.Endpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * One Bedrock deployment's validated settings; see {@link BedrockProviderFactory} for the keys.
 * Parsing does no I/O except reading the {@code AWS_BEARER_TOKEN_BEDROCK} environment variable.
 */
record BedrockSettings(String region, HttpUrl endpoint, AuthMode auth, Optional<String> profile,
    Optional<Secret> accessKeyId, Optional<Secret> secretAccessKey, Optional<Secret> sessionToken,
    Optional<Secret> apiKey) {

  /** How requests are authenticated. */
  enum AuthMode {
    DEFAULT_CHAIN("default-chain"), STATIC("static"), PROFILE("profile"), API_KEY("api-key");

    final String key;

    AuthMode(String key) {
      this.key = key;
    }

    static Optional<AuthMode> of(String key) {
      for (AuthMode m : values()) {
        if (m.key.equals(key)) return Optional.of(m);
      }
      return Optional.empty();
    }
  }

  static final String API_KEY_ENV = "AWS_BEARER_TOKEN_BEDROCK";
  static final Set<String> SETTINGS = Set.of("region", "endpoint", "auth", "profile", BedrockApi.SETTING);
  static final Set<String> SECRETS = Set.of("access-key-id", "secret-access-key", "session-token", "api-key");
  /** Every key a deployment of type bedrock reads, settings and secrets. */
  static final Set<String> KEYS = Set.of("region", "endpoint", "auth", "profile", BedrockApi.SETTING, "access-key-id",
      "secret-access-key", "session-token", "api-key");

  private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+-[0-9]{1,2}");
  // bedrock-runtime[-fips].{region}.amazonaws.com[.cn] and VPC endpoint hosts ending in .{region}.vpce.amazonaws.com
  private static final Pattern REGION_IN_HOST = Pattern.compile(
      "(?:^|\\.)bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?$|\\.([a-z0-9-]+)\\.vpce\\.amazonaws\\.com(?:\\.cn)?$");

  List<Secret> secrets() {
    List<Secret> all = new ArrayList<>(4);
    accessKeyId.ifPresent(all::add);
    secretAccessKey.ifPresent(all::add);
    sessionToken.ifPresent(all::add);
    apiKey.ifPresent(all::add);
    return all;
  }

  static BedrockSettings parse(Deployment d, boolean allowPlainHttp, Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    BedrockSettings settings = read(d, allowPlainHttp, env, problems);
    if (!problems.isEmpty()) throw new ConfigException(null, problems);
    return settings;
  }

  /** Every problem with {@code d}'s settings, one per entry (empty when they are valid). */
  static List<String> problems(Deployment d, boolean allowPlainHttp, Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    read(d, allowPlainHttp, env, problems);
    return problems;
  }

  private static BedrockSettings read(Deployment d, boolean allowPlainHttp, Function<String, String> env, List<String> problems) {
    String name = d.name();
    String where = "deployments." + name;
    for (String key : new TreeSet<>(d.settings().keySet())) {
      if (SETTINGS.contains(key)) continue;
      if (SECRETS.contains(key)) problems.add(where + "." + key + ": must be given as a secret, not a plain setting");
      else problems.add(Suggestions.unknownKey(where, key, KEYS));
    }
    for (String key : new TreeSet<>(d.secrets().keySet())) {
      if (!SECRETS.contains(key)) problems.add(Suggestions.unknownKey(where, key, KEYS));
    }

    try {
      BedrockApi.of(d);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }

    Optional<HttpUrl> endpoint = Optional.empty();
    boolean endpointGiven = d.setting("endpoint").isPresent();
    try {
      endpoint = d.setting("endpoint").map(u -> Endpoints.parse(name, "endpoint", u, allowPlainHttp));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    Optional<HttpUrl> parsedEndpoint = endpoint;
    Optional<String> region = d.setting("region").or(d::region).or(() -> parsedEndpoint.flatMap(BedrockSettings::regionFromHost));
    if (region.isPresent() && !REGION.matcher(region.get()).matches()) {
      problems.add(where + ".region: '" + region.get() + "' is not an AWS region name (like us-west-2)");
    }

    Optional<Secret> accessKeyId = d.secret("access-key-id");
    Optional<Secret> secretAccessKey = d.secret("secret-access-key");
    Optional<Secret> sessionToken = d.secret("session-token");
    Optional<Secret> configuredApiKey = d.secret("api-key");
    headerSafe(where + ".access-key-id", accessKeyId, problems);
    headerSafe(where + ".secret-access-key", secretAccessKey, problems);
    headerSafe(where + ".session-token", sessionToken, problems);
    headerSafe(where + ".api-key", configuredApiKey, problems);
    Optional<String> profile = d.setting("profile");
    if (profile.isPresent() && profile.get().isBlank()) problems.add(where + ".profile: is blank (leave it out instead)");

    Optional<String> authValue = d.setting("auth");
    AuthMode auth = authValue.flatMap(AuthMode::of).orElseGet(() -> configuredApiKey.isPresent() ? AuthMode.API_KEY
        : accessKeyId.isPresent() || secretAccessKey.isPresent() ? AuthMode.STATIC
        : profile.isPresent() ? AuthMode.PROFILE
        : present(env.apply(API_KEY_ENV)) ? AuthMode.API_KEY
        : AuthMode.DEFAULT_CHAIN);
    if (authValue.isPresent() && AuthMode.of(authValue.get()).isEmpty()) {
      problems.add(where + ".auth: '" + authValue.get() + "' is not one of default-chain, static, profile, api-key");
      return null; // which secrets belong depends on auth: checking them against a guess would mislead
    }

    Optional<Secret> apiKey = configuredApiKey;
    String notUsed = ": not used with auth=" + auth.key;
    if (auth != AuthMode.API_KEY && apiKey.isPresent()) problems.add(where + ".api-key" + notUsed);
    if (auth != AuthMode.STATIC) {
      if (accessKeyId.isPresent()) problems.add(where + ".access-key-id" + notUsed);
      if (secretAccessKey.isPresent()) problems.add(where + ".secret-access-key" + notUsed);
      if (sessionToken.isPresent()) problems.add(where + ".session-token" + notUsed);
    }
    if (auth != AuthMode.PROFILE && auth != AuthMode.DEFAULT_CHAIN && profile.isPresent()) problems.add(where + ".profile" + notUsed);
    switch (auth) {
      case STATIC -> {
        if (accessKeyId.isEmpty()) problems.add(where + ".access-key-id: missing; auth=static needs access-key-id and secret-access-key");
        if (secretAccessKey.isEmpty()) problems.add(where + ".secret-access-key: missing; auth=static needs access-key-id and secret-access-key");
      }
      case PROFILE -> {
        if (profile.isEmpty()) problems.add(where + ".profile: missing; auth=profile needs it");
      }
      case API_KEY -> {
        if (apiKey.isEmpty()) {
          String fromEnv = env.apply(API_KEY_ENV);
          if (!present(fromEnv)) {
            problems.add(where + ".api-key: missing; auth=api-key needs the secret api-key or the environment variable " + API_KEY_ENV);
          } else {
            apiKey = Optional.of(Secret.of(fromEnv.trim()));
            headerSafe(where + ".api-key (from " + API_KEY_ENV + ")", apiKey, problems);
          }
        }
      }
      default -> { }
    }

    if (region.isEmpty() && !(auth == AuthMode.API_KEY && endpointGiven)) {
      problems.add(where + ".region: missing; SigV4 signs for a region, and the default endpoint is"
          + " https://bedrock-runtime.{region}.amazonaws.com");
    }
    if (!problems.isEmpty()) return null;
    String signingRegion = region.orElse("us-east-1");
    HttpUrl base = endpoint.orElseGet(() -> defaultEndpoint(signingRegion));
    return new BedrockSettings(signingRegion, base, auth, profile, accessKeyId, secretAccessKey, sessionToken, apiKey);
  }

  static HttpUrl defaultEndpoint(String region) {
    // The partition's DNS suffix (amazonaws.com.cn, c2s.ic.gov, ...); a region the SDK does not
    // know yet matches its partition by name pattern, else the aws partition.
    String domain = PartitionMetadata.of(Region.of(region)).dnsSuffix();
    return new HttpUrl.Builder().scheme("https").host("bedrock-runtime." + region + "." + domain).build();
  }

  static Optional<String> regionFromHost(HttpUrl url) {
    Matcher m = REGION_IN_HOST.matcher(url.host().toLowerCase(Locale.ROOT));
    if (!m.find()) return Optional.empty();
    return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  @Override
  public String toString() {
    return "BedrockSettings[region=" + region + ", endpoint=" + endpoint + ", auth=" + auth.key
        + profile.map(p -> ", profile=" + p).orElse("") + "]";
  }

  /**
   * Credentials end up in headers (or in the signature's inputs); a character OkHttp refuses in a
   * header would otherwise fail every call with an error quoting the value. Rejected here, when
   * the switchboard is built, naming the setting and never the value.
   */
  private static void headerSafe(String path, Optional<Secret> secret, List<String> problems) {
    if (secret.isEmpty()) return;
    String v = secret.get().reveal();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        problems.add(path + ": contains a character that can't be sent in an HTTP header (" + describe(c) + " at position "
            + (i + 1) + "); check the value for a stray newline, space or non-ASCII character");
        return;
      }
    }
  }

  private static String describe(char c) {
    return switch (c) {
      case '\n' -> "a line feed";
      case '\r' -> "a carriage return";
      case ' ' -> "a space";
      case '\t' -> "a tab";
      case 0 -> "a NUL";
      default -> c < 0x20 || c == 0x7f ? String.format("control character U+%04X", (int) c) : "a non-ASCII character";
    };
  }
}
