package dev.switchboard.http;

import dev.switchboard.HttpSettings;
import java.util.concurrent.TimeUnit;
import okhttp3.Authenticator;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Builds the one OkHttp client a {@code Switchboard} shares among its providers. */
public final class HttpClients {
  /** Sent on every request, e.g. {@code switchboard-java/0.1.0}. */
  public static final String USER_AGENT = "switchboard-java/" + Version.VERSION;

  private HttpClients() {}

  /** A new client configured from {@code settings}. */
  public static OkHttpClient create(HttpSettings settings) {
    return configure(new OkHttpClient.Builder(), settings).build();
  }

  /**
   * Applies {@code settings} over a caller's client (keeping its TLS, proxy and interceptors).
   * OkHttp never sends a request again by itself: Switchboard's policy is the only retry layer,
   * so attempts never multiply and every one is counted. That means no transparent retry on a
   * connection failure or a 408, no authenticator answering a 401, no redirects (model APIs do
   * not redirect, and following one could send credentials elsewhere), and no replay of a 503
   * with {@code Retry-After: 0}, which has no setting (see {@link NoFollowUps}).
   */
  public static OkHttpClient.Builder configure(OkHttpClient.Builder builder, HttpSettings settings) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(settings.maxRequests());
    dispatcher.setMaxRequestsPerHost(settings.maxRequestsPerHost());
    return builder
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(settings.maxIdleConnections(), settings.keepAlive().toMillis(), TimeUnit.MILLISECONDS))
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.writeTimeout())
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .authenticator(Authenticator.NONE)
        .addNetworkInterceptor(NoFollowUps.NETWORK)
        .addInterceptor(NoFollowUps.APPLICATION)
        .addInterceptor(chain -> chain.proceed(
            chain.request().header("User-Agent") != null
                ? chain.request()
                : chain.request().newBuilder().header("User-Agent", USER_AGENT).build()));
  }
}
