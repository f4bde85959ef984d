package dev.switchboard.aws;

import dev.switchboard.Deployment;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Serves deployments of type {@code bedrock}: Amazon Bedrock's Converse and ConverseStream APIs
 * (and InvokeModel for Titan and Cohere embeddings), over the shared OkHttp client.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code region} — the AWS region to call and sign for, e.g. {@code us-west-2}. Defaults to
 *       the deployment's region tag, then to the region in a standard {@code endpoint} host.
 *       Required unless {@code auth=api-key} with an {@code endpoint}.
 *   <li>{@code endpoint} — overrides {@code https://bedrock-runtime.{region}.amazonaws.com}: a VPC
 *       endpoint, a FIPS host ({@code bedrock-runtime-fips.us-east-1.amazonaws.com}), a proxy or a
 *       local test server. {@code https}, or {@code http} to loopback (or anywhere when the HTTP
 *       settings allow plain http).
 *   <li>{@code auth} — {@code default-chain}, {@code static}, {@code profile} or {@code api-key}.
 *       When absent it follows from what is given: an {@code api-key} secret, static keys, a
 *       {@code profile}, the {@code AWS_BEARER_TOKEN_BEDROCK} environment variable (as the AWS
 *       SDKs do), else the default chain.
 *   <li>{@code profile} — the profile for {@code auth=profile} (or for the default chain).
 *   <li>{@code api} — {@code converse} (the default), {@code openai-chat}: OpenAI Chat Completions
 *       bodies to {@code {endpoint}/openai/v1/chat/completions}, or {@code responses}: OpenAI
 *       Responses API bodies to {@code {endpoint}/openai/v1/responses} (not streamed: Bedrock's
 *       runtime serves it synchronously only), with the same auth, for the OpenAI models Bedrock
 *       serves (see {@link BedrockOpenAiProvider}; no embeddings there).
 * </ul>
 * Secrets: {@code access-key-id}, {@code secret-access-key}, {@code session-token}
 * ({@code auth=static}); {@code api-key} ({@code auth=api-key}, sent as
 * {@code Authorization: Bearer}; without it the key is read from {@code AWS_BEARER_TOKEN_BEDROCK}).
 * Unknown keys, and secrets the chosen {@code auth} would not use, are rejected with an
 * {@link IllegalArgumentException} naming them.
 *
 * <p>The default chain is the AWS SDK's: environment variables, Java system properties, web
 * identity (only when {@code software.amazon.awssdk:sts} is on the classpath: add it to use EKS /
 * IRSA roles), the shared profile files (SSO profiles need {@code software.amazon.awssdk:sso} and
 * {@code ssooidc}), the container credentials endpoint and EC2 instance metadata. Credentials are
 * resolved for each attempt (the chain caches and refreshes them), and every attempt is signed
 * anew with the injected clock.
 *
 * <p>Request options under {@code providerOptions("bedrock")}: see {@link BedrockOptions}'s keys
 * {@code additionalModelRequestFields} and {@code structuredOutput}. JSON-schema output is served
 * through a forced tool unless {@code structuredOutput} is {@code native}. Response metadata keys
 * are in {@link BedrockMetadata}.
 */
public final class BedrockProviderFactory implements ProviderFactory {
  private final Function<String, String> environment;

  /** The factory {@code ServiceLoader} instantiates. */
  public BedrockProviderFactory() {
    this(System::getenv);
  }

  /** A factory reading environment variables through {@code environment} (for tests). */
  BedrockProviderFactory(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String type() {
    return Bedrock.TYPE;
  }

  /** The SPI version this factory was compiled against: a literal, never core's constant. */
  @Override
  public int specVersion() {
    return 3;
  }

  @Override
  public Set<String> settingKeys() {
    return BedrockSettings.KEYS;
  }

  @Override
  public List<String> validate(Deployment deployment, HttpSettings http) {
    return BedrockSettings.problems(deployment, http.allowPlainHttp(), environment);
  }

  @Override
  public ChatProvider create(Deployment deployment, ProviderContext context) {
    if (!Bedrock.TYPE.equals(deployment.type())) {
      throw new IllegalArgumentException("deployments." + deployment.name() + ": type " + deployment.type()
          + " is not served by the bedrock provider");
    }
    BedrockSettings settings = BedrockSettings.parse(deployment, context.http().allowPlainHttp(), environment);
    BedrockApi api = BedrockApi.of(deployment);
    return switch (api) {
      case CONVERSE -> new BedrockProvider(deployment.name(), settings, context);
      case OPENAI_CHAT, RESPONSES -> new BedrockOpenAiProvider(deployment.name(), settings, context, api);
    };
  }
}
