/**
 * The {@code openai} provider: OpenAI's Chat Completions and embeddings APIs, and any
 * OpenAI-compatible server by base URL; with {@code api: responses} ({@link dev.switchboard.openai.OpenAiApi})
 * chat and streams use the Responses API ({@link dev.switchboard.openai.ResponsesWire}). {@link dev.switchboard.openai.OpenAiProviderFactory} is
 * registered through {@code ServiceLoader}; {@link dev.switchboard.openai.OpenAi} builds
 * deployments with typed setters.
 *
 * <p>{@link dev.switchboard.openai.OpenAiCodec}, {@link dev.switchboard.openai.OpenAiStreamDecoder},
 * {@link dev.switchboard.openai.ExtraFields} and {@link dev.switchboard.openai.OpenAiError} are the
 * wire format alone, for other providers that speak it (the Azure OpenAI provider reuses them and
 * swaps only URLs, authentication and its extra fields). {@link dev.switchboard.openai.OpenAiCalls}
 * makes such a provider's chat, stream and embeddings calls, given its URLs, a signer (which may
 * fetch a token first) and an {@link dev.switchboard.openai.OpenAiDialect} for what it changes;
 * {@link dev.switchboard.openai.OpenAiSseStream} is its stream runner. The wire DTOs stay
 * package-private.
 */
package dev.switchboard.openai;
