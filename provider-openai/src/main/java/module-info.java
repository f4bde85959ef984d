/**
 * The OpenAI provider (type {@code openai}): Chat Completions, Responses and Embeddings against
 * api.openai.com or any OpenAI-compatible server.
 *
 * <p>{@code dev.switchboard.openai} is exported whole: it holds the user-facing builder and
 * settings, and the public codec parts the Azure and Bedrock providers reuse (the OpenAI wire is
 * theirs too). {@code META-INF/services} registers the same factory on the classpath.
 */
module dev.switchboard.openai {
  requires transitive dev.switchboard.core;

  exports dev.switchboard.openai;

  provides dev.switchboard.spi.ProviderFactory with dev.switchboard.openai.OpenAiProviderFactory;
}
