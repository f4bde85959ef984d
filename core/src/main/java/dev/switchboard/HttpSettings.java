package dev.switchboard;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport settings shared by every provider of one {@code Switchboard}.
 *
 * <ul>
 *   <li>{@code connectTimeout}: TCP + TLS handshake of one connection.
 *   <li>{@code readTimeout}: the longest silence while reading a response — for a stream, the
 *       longest gap between two chunks.
 *   <li>{@code writeTimeout}: the longest stall while sending the request body. Both default to
 *       120 s: one value, so that each socket read and write enters Okio's timeout queue behind
 *       the ones before it instead of becoming its new head (which wakes its watchdog thread).
 *   <li>{@code maxRequests} / {@code maxRequestsPerHost}: concurrent calls (streams included);
 *       raised well above OkHttp's 64/5 because one stream holds a call for its whole length.
 *   <li>{@code maxIdleConnections} / {@code keepAlive}: the connection pool.
 *   <li>{@code maxResponseBytes}: the largest non-streamed body read; larger is a PROTOCOL error.
 *   <li>{@code maxStreamLineBytes}: the longest SSE line or event-stream frame accepted.
 *   <li>{@code maxStreamBytes}: the most a stream's answer may add up to — its text, refusal
 *       and tool calls (ids, names, arguments), counted in UTF-8 bytes as they are assembled; a stream
 *       that would pass it ends with a PROTOCOL error (not restarted on another target).
 *   <li>{@code allowPlainHttp}: permits {@code http://} to hosts other than loopback.
 * </ul>
 * The whole-call deadline is not here: it is per call ({@code ChatRequest.timeout}) or the
 * routing default, and covers retries. The engine owns it and cancels the HTTP call when it (or an
 * attempt's limit) passes; OkHttp's own whole-call timeout is left off, and these timeouts are only
 * a backstop for a silent socket.
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    int maxRequests,
    int maxRequestsPerHost,
    int maxIdleConnections,
    Duration keepAlive,
    long maxResponseBytes,
    int maxStreamLineBytes,
    boolean allowPlainHttp,
    long maxStreamBytes) {

  public static final HttpSettings DEFAULTS = new HttpSettings(
      Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(120),
      1024, 1024, 64, Duration.ofMinutes(5), 32L * 1024 * 1024, 1024 * 1024, false, 16L * 1024 * 1024);

  public HttpSettings {
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    positive(writeTimeout, "writeTimeout");
    positive(keepAlive, "keepAlive");
    if (maxRequests < 1) throw new IllegalArgumentException("http.maxRequests must be >= 1");
    if (maxRequestsPerHost < 1) throw new IllegalArgumentException("http.maxRequestsPerHost must be >= 1");
    if (maxIdleConnections < 0) throw new IllegalArgumentException("http.maxIdleConnections must be >= 0");
    if (maxResponseBytes < 1024) throw new IllegalArgumentException("http.maxResponseBytes must be >= 1024");
    if (maxStreamLineBytes < 1024) throw new IllegalArgumentException("http.maxStreamLineBytes must be >= 1024");
    if (maxStreamBytes < 1024) throw new IllegalArgumentException("http.maxStreamBytes must be >= 1024");
  }

  /** The settings without {@code maxStreamBytes}, which is then the default (16 MiB). */
  public HttpSettings(Duration connectTimeout, Duration readTimeout, Duration writeTimeout, int maxRequests,
      int maxRequestsPerHost, int maxIdleConnections, Duration keepAlive, long maxResponseBytes,
      int maxStreamLineBytes, boolean allowPlainHttp) {
    this(connectTimeout, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive,
        maxResponseBytes, maxStreamLineBytes, allowPlainHttp, 16L * 1024 * 1024);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("http." + name + " must be positive");
  }

  public HttpSettings withConnectTimeout(Duration d) {
    return new HttpSettings(d, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, maxStreamLineBytes, allowPlainHttp, maxStreamBytes);
  }

  public HttpSettings withReadTimeout(Duration d) {
    return new HttpSettings(connectTimeout, d, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, maxStreamLineBytes, allowPlainHttp, maxStreamBytes);
  }

  public HttpSettings withWriteTimeout(Duration d) {
    return new HttpSettings(connectTimeout, readTimeout, d, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, maxStreamLineBytes, allowPlainHttp, maxStreamBytes);
  }

  public HttpSettings withPool(int maxRequests, int maxRequestsPerHost, int maxIdleConnections) {
    return new HttpSettings(connectTimeout, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, maxStreamLineBytes, allowPlainHttp, maxStreamBytes);
  }

  public HttpSettings withMaxResponseBytes(long bytes) {
    return new HttpSettings(connectTimeout, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, bytes, maxStreamLineBytes, allowPlainHttp, maxStreamBytes);
  }

  public HttpSettings withMaxStreamLineBytes(int bytes) {
    return new HttpSettings(connectTimeout, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, bytes, allowPlainHttp, maxStreamBytes);
  }

  public HttpSettings withAllowPlainHttp(boolean allow) {
    return new HttpSettings(connectTimeout, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, maxStreamLineBytes, allow, maxStreamBytes);
  }

  public HttpSettings withMaxStreamBytes(long bytes) {
    return new HttpSettings(connectTimeout, readTimeout, writeTimeout, maxRequests, maxRequestsPerHost, maxIdleConnections, keepAlive, maxResponseBytes, maxStreamLineBytes, allowPlainHttp, bytes);
  }
}
