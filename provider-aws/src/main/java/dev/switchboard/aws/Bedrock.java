package dev.switchboard.aws;

import dev.switchboard.Deployment;
import dev.switchboard.Secret;
import java.util.Objects;

/**
 * Typed construction of Amazon Bedrock {@link Deployment}s, the same settings that
 * {@link BedrockProviderFactory} documents, without spelling the keys:
 *
 * <pre>{@code
 * Deployment west = Bedrock.deployment("bedrock-west").region("us-west-2").build();   // default chain
 * Deployment prod = Bedrock.deployment("bedrock-prod").region("eu-central-1").profile("prod").build();
 * Deployment key  = Bedrock.deployment("bedrock-key").region("us-east-1")
 *     .apiKey(Secret.of(System.getenv("BEDROCK_API_KEY"))).build();
 * }</pre>
 *
 * The deployment's region tag (used by region-affinity routing) is set to the region.
 * Validation happens when the {@code Switchboard} is built, as for any deployment.
 */
public final class Bedrock {
  /** The provider type this module registers. */
  public static final String TYPE = "bedrock";

  private Bedrock() {}

  /** Starts a Bedrock deployment called {@code name}. */
  public static Builder deployment(String name) {
    return new Builder(name);
  }

  /** Builds a Bedrock {@link Deployment}. The last authentication method chosen wins. */
  public static final class Builder {
    private final String name;
    private String region;
    private String endpoint;
    private String auth;
    private String profile;
    private String api;
    private Secret accessKeyId;
    private Secret secretAccessKey;
    private Secret sessionToken;
    private Secret apiKey;

    private Builder(String name) {
      this.name = name;
    }

    /** The AWS region to call and sign for, e.g. {@code us-west-2}. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region == null");
      return this;
    }

    /** Overrides the endpoint (VPC endpoint, FIPS host, a local test server); {@code https} required except to loopback. */
    public Builder endpoint(String url) {
      this.endpoint = Objects.requireNonNull(url, "url == null");
      return this;
    }

    /**
     * The wire to speak: {@code converse} (the default), {@code openai-chat}, Bedrock's
     * OpenAI-compatible Chat Completions endpoint ({@code /openai/v1/chat/completions}), or
     * {@code responses}, its OpenAI-compatible Responses endpoint ({@code /openai/v1/responses},
     * which does not stream: routing skips such a target for streamed calls). Any other value
     * fails when the switchboard is built, naming the allowed ones.
     */
    public Builder api(String api) {
      this.api = Objects.requireNonNull(api, "api == null");
      return this;
    }

    /** Credentials from the AWS default chain: environment, system properties, profiles (incl. SSO), container, IMDS. */
    public Builder defaultCredentials() {
      clearAuth();
      auth = "default-chain";
      return this;
    }

    /** Credentials from one named profile of {@code ~/.aws/config} and {@code ~/.aws/credentials}. */
    public Builder profile(String profile) {
      clearAuth();
      auth = "profile";
      this.profile = Objects.requireNonNull(profile, "profile == null");
      return this;
    }

    /** Fixed long-term credentials. */
    public Builder staticCredentials(Secret accessKeyId, Secret secretAccessKey) {
      clearAuth();
      auth = "static";
      this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId == null");
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey == null");
      return this;
    }

    /** Fixed temporary credentials with their session token. */
    public Builder sessionCredentials(Secret accessKeyId, Secret secretAccessKey, Secret sessionToken) {
      staticCredentials(accessKeyId, secretAccessKey);
      this.sessionToken = Objects.requireNonNull(sessionToken, "sessionToken == null");
      return this;
    }

    /** A Bedrock API key, sent as {@code Authorization: Bearer}. */
    public Builder apiKey(Secret apiKey) {
      clearAuth();
      auth = "api-key";
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
      return this;
    }

    /** A Bedrock API key from the {@code AWS_BEARER_TOKEN_BEDROCK} environment variable, read when the provider is built. */
    public Builder apiKeyFromEnvironment() {
      clearAuth();
      auth = "api-key";
      return this;
    }

    private void clearAuth() {
      auth = null;
      profile = null;
      accessKeyId = null;
      secretAccessKey = null;
      sessionToken = null;
      apiKey = null;
    }

    public Deployment build() {
      Deployment.Builder b = Deployment.builder(name, TYPE);
      if (region != null) {
        b.region(region);
        b.setting("region", region);
      }
      if (endpoint != null) b.setting("endpoint", endpoint);
      if (auth != null) b.setting("auth", auth);
      if (profile != null) b.setting("profile", profile);
      if (api != null) b.setting(BedrockApi.SETTING, api);
      if (accessKeyId != null) b.secret("access-key-id", accessKeyId);
      if (secretAccessKey != null) b.secret("secret-access-key", secretAccessKey);
      if (sessionToken != null) b.secret("session-token", sessionToken);
      if (apiKey != null) b.secret("api-key", apiKey);
      return b.build();
    }
  }
}
