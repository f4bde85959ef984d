package dev.switchboard.azure;

import dev.switchboard.Secret;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.http.Signer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;

/**
 * Adds a deployment's credentials to each attempt's request (core's {@link Signer}): the
 * {@code api-key} header, or {@code Authorization: Bearer} with a cached Entra ID token. The credential used comes back with
 * the request so that error text can be scrubbed of it.
 */
abstract class AzureAuth implements Signer {
  /** The request with its credential; the body is not signed. */
  @Override
  public abstract CompletableFuture<SignedRequest> sign(Request request, byte[] body);

  static AzureAuth apiKey(Secret key) {
    List<Secret> secrets = List.of(key);
    return new AzureAuth() {
      @Override
      public CompletableFuture<SignedRequest> sign(Request request, byte[] body) {
        return CompletableFuture.completedFuture(new SignedRequest(request.newBuilder().header("api-key", key.reveal()).build(),
            secrets));
      }
    };
  }

  static AzureAuth entra(TokenCache tokens) {
    return new AzureAuth() {
      @Override
      public CompletableFuture<SignedRequest> sign(Request request, byte[] body) {
        return tokens.token().thenApply(token -> new SignedRequest(
            request.newBuilder().header("Authorization", "Bearer " + token.reveal()).build(), List.of(token)));
      }
    };
  }
}
