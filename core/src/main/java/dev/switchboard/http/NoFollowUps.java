package dev.switchboard.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps OkHttp from answering a response by itself. {@code RetryAndFollowUpInterceptor} replays a
 * request on its own when a response asks for it, and no client setting turns all of it off: a
 * 503 with {@code Retry-After: 0} (any number of zeros) is always sent again, and a
 * {@code Retry-After} above 2³¹−1 makes it throw {@code NumberFormatException} out of the call.
 * The other replays have settings, which {@link HttpClients#configure} sets: redirects
 * ({@code followRedirects}), 408 ({@code retryOnConnectionFailure}), 401 (the authenticator).
 *
 * <p>{@link #NETWORK} runs next to the socket, before that interceptor sees the response, and
 * moves {@code Retry-After} to {@value #HIDDEN}; {@link #APPLICATION} runs after it and moves the
 * header back, so everything above (the providers' error classification included) reads the
 * server's response as it came. Switchboard stays the only retry layer, and every request that
 * reaches a server is an attempt in the trace.
 */
final class NoFollowUps {
  static final String HIDDEN = "X-Switchboard-Retry-After";

  /** Added with {@code addNetworkInterceptor}. */
  static final Interceptor NETWORK = chain -> move(chain.proceed(chain.request()), "Retry-After", HIDDEN);

  /** Added with {@code addInterceptor}, after any of the caller's own interceptors. */
  static final Interceptor APPLICATION = chain -> move(chain.proceed(chain.request()), HIDDEN, "Retry-After");

  private NoFollowUps() {}

  private static Response move(Response response, String from, String to) throws IOException {
    var values = response.headers(from);
    if (values.isEmpty()) return response;
    Response.Builder b = response.newBuilder().removeHeader(from);
    for (String v : values) b.addHeader(to, v);
    return b.build();
  }
}
