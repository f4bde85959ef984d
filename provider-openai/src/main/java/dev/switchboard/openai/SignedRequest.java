package dev.switchboard.openai;

import dev.switchboard.Secret;
import java.util.List;
import java.util.Objects;
import okhttp3.Request;

/**
 * A request ready to send, with the secrets it carries (an API key, a bearer token) so that error
 * text from the server can be scrubbed of them. Providers that fetch a credential first hand one
 * over as a {@code CompletableFuture<SignedRequest>}.
 */
public record SignedRequest(Request request, List<Secret> secrets) {
  public SignedRequest {
    Objects.requireNonNull(request, "request == null");
    secrets = List.copyOf(secrets);
  }
}
