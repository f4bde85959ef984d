/**
 * The Amazon Bedrock provider (type {@code bedrock}): Converse / ConverseStream, the OpenAI-style
 * endpoints Bedrock serves, SigV4 or a Bedrock API key.
 *
 * <p>The AWS SDK jars are automatic modules (named by their {@code Automatic-Module-Name},
 * {@code software.amazon.awssdk.*}); credentials providers appear in the public builder, hence
 * {@code requires transitive} for {@code auth} and {@code regions}. {@code META-INF/services}
 * registers the same factory on the classpath.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.switchboard.aws {
  requires transitive dev.switchboard.core;
  requires dev.switchboard.openai;
  requires org.slf4j;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.eventstream;
  requires software.amazon.awssdk.utils;

  exports dev.switchboard.aws;

  provides dev.switchboard.spi.ProviderFactory with dev.switchboard.aws.BedrockProviderFactory;
}
