package dev.switchboard.http;

import dev.switchboard.SwitchboardException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;

/**
 * Adds a provider's credentials to one attempt's request: an API key header, a bearer token it
 * may fetch first (Azure's Entra ID), or a SigV4 signature (Bedrock) over the body bytes handed
 * in, so that the hash covers exactly what is sent. The shared transport applies it once per
 * attempt, just before sending: {@link UnaryExchange#send} for unary calls, and where each
 * stream builds its request ({@code OpenAiCalls.stream}, {@code BedrockProvider.stream}), so
 * every attempt gets its own date, signature or current token.
 *
 * <p>The result may complete later (a token fetch, a credential lookup that may block), and
 * exceptionally: with a {@link SwitchboardException} to keep its kind (AUTHENTICATION, say),
 * anything else becomes NETWORK. Nothing is sent when it fails. The secrets a signer adds come
 * back in {@link SignedRequest#secrets()} so that error text from the server can be scrubbed of
 * them; a signer never logs them nor puts them in an exception message. Thread-safe.
 */
@FunctionalInterface
public interface Signer {
  /** The credentials added to {@code request}, whose body is {@code body} (empty when it has none). */
  CompletableFuture<SignedRequest> sign(Request request, byte[] body);

  /**
   * {@code signer.sign(request, body)}, with a {@link RuntimeException} it throws instead of
   * returning a failed future turned into one (so a caller has one failure path).
   */
  static CompletableFuture<SignedRequest> apply(Signer signer, Request request, byte[] body) {
    try {
      return signer.sign(request, body);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
