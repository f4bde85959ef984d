package dev.switchboard.http;

import dev.switchboard.Secret;
import java.util.List;
import java.util.Objects;
import okhttp3.Request;

/**
 * A request ready to send, with the secrets it carries (an API key, a bearer token, a session
 * token) so that error text from the server can be scrubbed of them. What a {@link Signer}
 * yields; {@link #toString()} names neither headers nor secrets.
 */
public record SignedRequest(Request request, List<Secret> secrets) {
  public SignedRequest {
    Objects.requireNonNull(request, "request == null");
    secrets = List.copyOf(secrets);
  }

  @Override
  public String toString() {
    return "SignedRequest[" + request.method() + " " + request.url().host() + request.url().encodedPath() + ", "
        + secrets.size() + " secrets]";
  }
}
