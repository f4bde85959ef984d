package dev.switchboard.aws;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
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
  static final Set<String> SETTINGS = Set.of("region", "endpoint", "auth", "profile");
  static final Set<String> SECRETS = Set.of("access-key-id", "secret-access-key", "session-token", "api-key");

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
    String name = d.name();
    Set<String> unknown = new TreeSet<>(d.settings().keySet());
    unknown.removeAll(SETTINGS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("deployments." + name + ": unknown bedrock setting(s) " + unknown
          + "; known settings are " + new TreeSet<>(SETTINGS) + " and secrets " + new TreeSet<>(SECRETS));
    }
    Set<String> unknownSecrets = new TreeSet<>(d.secrets().keySet());
    unknownSecrets.removeAll(SECRETS);
    if (!unknownSecrets.isEmpty()) {
      throw new IllegalArgumentException("deployments." + name + ": unknown bedrock secret(s) " + unknownSecrets
          + "; known secrets are " + new TreeSet<>(SECRETS));
    }

    Optional<HttpUrl> endpoint = d.setting("endpoint").map(u -> Endpoints.parse(name, "endpoint", u, allowPlainHttp));
    Optional<String> region = d.setting("region").or(d::region).or(() -> endpoint.flatMap(BedrockSettings::regionFromHost));
    region.ifPresent(r -> {
      if (!REGION.matcher(r).matches()) {
        throw new IllegalArgumentException("deployments." + name + ".region: '" + r + "' is not an AWS region name (like us-west-2)");
      }
    });

    Optional<Secret> accessKeyId = d.secret("access-key-id");
    Optional<Secret> secretAccessKey = d.secret("secret-access-key");
    Optional<Secret> sessionToken = d.secret("session-token");
    Optional<Secret> configuredApiKey = d.secret("api-key");
    requireHeaderSafe(name, "access-key-id", accessKeyId);
    requireHeaderSafe(name, "secret-access-key", secretAccessKey);
    requireHeaderSafe(name, "session-token", sessionToken);
    requireHeaderSafe(name, "api-key", configuredApiKey);
    Optional<String> profile = d.setting("profile");
    if (profile.isPresent() && profile.get().isBlank()) {
      throw new IllegalArgumentException("deployments." + name + ".profile is blank");
    }

    AuthMode auth = d.setting("auth").map(a -> AuthMode.of(a).orElseThrow(() -> new IllegalArgumentException(
            "deployments." + name + ".auth: '" + a + "' is not one of default-chain, static, profile, api-key")))
        .orElseGet(() -> configuredApiKey.isPresent() ? AuthMode.API_KEY
            : accessKeyId.isPresent() || secretAccessKey.isPresent() ? AuthMode.STATIC
            : profile.isPresent() ? AuthMode.PROFILE
            : present(env.apply(API_KEY_ENV)) ? AuthMode.API_KEY
            : AuthMode.DEFAULT_CHAIN);

    Optional<Secret> apiKey = configuredApiKey;
    List<String> unused = new ArrayList<>();
    if (auth != AuthMode.API_KEY && apiKey.isPresent()) unused.add("secret api-key");
    if (auth != AuthMode.STATIC) {
      if (accessKeyId.isPresent()) unused.add("secret access-key-id");
      if (secretAccessKey.isPresent()) unused.add("secret secret-access-key");
      if (sessionToken.isPresent()) unused.add("secret session-token");
    }
    if (auth != AuthMode.PROFILE && auth != AuthMode.DEFAULT_CHAIN && profile.isPresent()) unused.add("setting profile");
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("deployments." + name + ": " + String.join(", ", unused)
          + " not used with auth=" + auth.key);
    }
    switch (auth) {
      case STATIC -> {
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
          throw new IllegalArgumentException("deployments." + name + ": auth=static needs the secrets access-key-id and secret-access-key");
        }
      }
      case PROFILE -> {
        if (profile.isEmpty()) throw new IllegalArgumentException("deployments." + name + ": auth=profile needs the setting profile");
      }
      case API_KEY -> {
        if (apiKey.isEmpty()) {
          String fromEnv = env.apply(API_KEY_ENV);
          if (!present(fromEnv)) {
            throw new IllegalArgumentException("deployments." + name + ": auth=api-key needs the secret api-key or the environment variable "
                + API_KEY_ENV);
          }
          apiKey = Optional.of(Secret.of(fromEnv.trim()));
          requireHeaderSafe(name, "api-key (from " + API_KEY_ENV + ")", apiKey);
        }
      }
      default -> { }
    }

    if (region.isEmpty() && !(auth == AuthMode.API_KEY && endpoint.isPresent())) {
      throw new IllegalArgumentException("deployments." + name + ": setting region is required (SigV4 signs for a region,"
          + " and the default endpoint is https://bedrock-runtime.{region}.amazonaws.com)");
    }
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
  private static void requireHeaderSafe(String deployment, String secretName, Optional<Secret> secret) {
    if (secret.isEmpty()) return;
    String v = secret.get().reveal();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("deployments." + deployment + ": secret " + secretName
            + " contains a character that can't be sent in an HTTP header (" + describe(c) + " at position " + (i + 1)
            + "); check the value for a stray newline, space or non-ASCII character");
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
