package dev.switchboard.http;

import java.util.concurrent.TimeUnit;
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
   * OkHttp's transparent retry is always turned off: Switchboard's policy is the only retry
   * layer, so attempts never multiply and every one is counted. Redirects are not followed:
   * model APIs do not redirect, and following one could send credentials elsewhere.
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
        .addInterceptor(chain -> chain.proceed(
            chain.request().header("User-Agent") != null
                ? chain.request()
                : chain.request().newBuilder().header("User-Agent", USER_AGENT).build()));
  }
}
