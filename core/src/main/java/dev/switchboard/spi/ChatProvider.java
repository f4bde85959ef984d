package dev.switchboard.spi;

import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.util.concurrent.CompletableFuture;

/**
 * One deployment of one provider, as core sees it. A provider translates the common request to
 * its wire format and back and classifies its failures as {@link SwitchboardException}s with the
 * right {@link ErrorKind}. It never retries, routes or sleeps: core does that, once, for all
 * providers.
 *
 * <p>Every method is called concurrently from many threads. Futures complete exceptionally only
 * with a {@link SwitchboardException}. When core cancels a returned future (a deadline, a lost
 * hedge, the caller giving up), the provider must cancel its HTTP call and release the
 * connection.
 */
public interface ChatProvider extends AutoCloseable {

  /** The provider type, as its factory names it. */
  String type();

  /** What this deployment can do; routing skips targets that cannot serve a request. */
  Capabilities capabilities();

  /** Sends one non-streaming chat attempt. */
  CompletableFuture<ChatResponse> chat(ProviderCall call);

  /**
   * Starts one streaming attempt. Events go to {@code listener} in order, from one thread at a
   * time; the stream ends with exactly one {@code onComplete} or {@code onError}. A stream that
   * ends without the provider's end-of-stream marker must end with {@code onError} of kind
   * {@link ErrorKind#PROTOCOL}, never with {@code onComplete}.
   */
  StreamHandle stream(ProviderCall call, ProviderStreamListener listener);

  /** Computes embeddings; providers without an embeddings API keep this default. */
  default CompletableFuture<EmbeddingResponse> embed(ProviderEmbeddingCall call) {
    return CompletableFuture.failedFuture(SwitchboardException.builder(
            ErrorKind.INVALID_REQUEST, "provider " + type() + " does not support embeddings")
        .provider(type()).target(call.target().deployment()).build());
  }

  /**
   * The host this deployment sends requests to, for the {@code server.address} metric tag; empty
   * when there is no single host.
   */
  default java.util.Optional<String> serverAddress() {
    return java.util.Optional.empty();
  }

  /**
   * Loads and initialises what this provider's first call would otherwise load (its codecs, a
   * request signer), so that the first call of a process, often its first failover, costs what
   * later ones do. Core calls it once per provider, off the caller's thread, when the
   * {@code Switchboard} is built. It must not send anything, resolve credentials or wait on I/O,
   * must not throw, and may run more than once and concurrently with calls. The default does
   * nothing.
   */
  default void warmUp() {}

  /** Releases what the provider holds (not the shared HTTP client). */
  @Override
  default void close() {}
}
