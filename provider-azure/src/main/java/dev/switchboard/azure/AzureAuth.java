package dev.switchboard.azure;

import dev.switchboard.Secret;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;

/**
 * Adds a deployment's credentials to a request: the {@code api-key} header, or
 * {@code Authorization: Bearer} with a cached Entra ID token. The credential used comes back with
 * the request so that error text can be scrubbed of it.
 */
abstract class AzureAuth {
  /** A request ready to send, and the secrets it carries. */
  record Signed(Request request, List<Secret> secrets) {}

  abstract CompletableFuture<Signed> sign(Request.Builder request);

  static AzureAuth apiKey(Secret key) {
    List<Secret> secrets = List.of(key);
    return new AzureAuth() {
      @Override
      CompletableFuture<Signed> sign(Request.Builder request) {
        return CompletableFuture.completedFuture(new Signed(request.header("api-key", key.reveal()).build(), secrets));
      }
    };
  }

  static AzureAuth entra(TokenCache tokens) {
    return new AzureAuth() {
      @Override
      CompletableFuture<Signed> sign(Request.Builder request) {
        return tokens.token().thenApply(token ->
            new Signed(request.header("Authorization", "Bearer " + token.reveal()).build(), List.of(token)));
      }
    };
  }
}
