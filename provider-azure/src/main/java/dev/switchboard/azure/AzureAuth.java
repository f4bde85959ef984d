package dev.switchboard.azure;

import dev.switchboard.Secret;
import dev.switchboard.openai.SignedRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;

/**
 * Adds a deployment's credentials to a request: the {@code api-key} header, or
 * {@code Authorization: Bearer} with a cached Entra ID token. The credential used comes back with
 * the request so that error text can be scrubbed of it.
 */
abstract class AzureAuth {
  abstract CompletableFuture<SignedRequest> sign(Request.Builder request);

  static AzureAuth apiKey(Secret key) {
    List<Secret> secrets = List.of(key);
    return new AzureAuth() {
      @Override
      CompletableFuture<SignedRequest> sign(Request.Builder request) {
        return CompletableFuture.completedFuture(new SignedRequest(request.header("api-key", key.reveal()).build(), secrets));
      }
    };
  }

  static AzureAuth entra(TokenCache tokens) {
    return new AzureAuth() {
      @Override
      CompletableFuture<SignedRequest> sign(Request.Builder request) {
        return tokens.token().thenApply(token ->
            new SignedRequest(request.header("Authorization", "Bearer " + token.reveal()).build(), List.of(token)));
      }
    };
  }
}
