package dev.switchboard.reliability;

import dev.switchboard.CallListener;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.http.HttpSettings;
import dev.switchboard.routing.RoutingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * One switchboard as the reliability tests build it: a model alias {@value #ALIAS} over a primary
 * target and, optionally, a secondary one; a probe deployment that exposes the shared OkHttp
 * client; an OkHttp base client whose {@link LoopbackDns} never asks DNS; and a call log.
 */
final class Rig implements AutoCloseable {
  static final String ALIAS = "chat";

  final Switchboard switchboard;
  final OkHttpClient client;
  final ConcurrentLinkedQueue<CallListener.CallEnd> ends = new ConcurrentLinkedQueue<>();

  private Rig(Builder b) {
    Probe probe = new Probe();
    ModelAlias.Builder alias = ModelAlias.builder(ALIAS).target("primary", b.primary.model);
    Switchboard.Builder sb = Switchboard.builder()
        .httpClient(new OkHttpClient.Builder().dns(LoopbackDns.INSTANCE).build())
        .http(b.http)
        .providerFactory(probe)
        .deployment(Probe.DEPLOYMENT)
        .deployment(b.primary.deployment("primary", b.primaryUrl))
        .routing(b.policy)
        .callListenerFactory(call -> new CallListener() {
          @Override
          public void callEnd(CallEnd end) {
            ends.add(end);
          }
        });
    if (b.secondary != null) {
      sb.deployment(b.secondary.deployment("secondary", b.secondaryUrl));
      alias.target("secondary", b.secondary.model);
    }
    if (b.consumerTimeout != null) sb.streamConsumerTimeout(b.consumerTimeout);
    this.switchboard = sb.model(alias.build()).build();
    this.client = probe.context().httpClient();
    LeakGuard.watch(client.connectionPool());
  }

  static Builder builder(Kind primary, String primaryUrl) {
    return new Builder(primary, primaryUrl);
  }

  /**
   * Checks that nothing is left over once every call has ended: no HTTP call still running or
   * queued, and no pooled connection still held by a response body nobody closed. Cancellation
   * is asynchronous, so this waits (with a bound) for it to settle.
   */
  void assertQuiescent() {
    ConnectionPool pool = client.connectionPool();
    Waits.until(Duration.ofSeconds(10),
        () -> client.dispatcher().runningCallsCount() == 0 && client.dispatcher().queuedCallsCount() == 0
            && pool.connectionCount() == pool.idleConnectionCount(),
        () -> "HTTP calls still running: " + client.dispatcher().runningCallsCount() + ", queued: "
            + client.dispatcher().queuedCallsCount() + ", connections in use: "
            + (pool.connectionCount() - pool.idleConnectionCount()));
  }

  List<CallListener.CallEnd> ends() {
    return List.copyOf(ends);
  }

  @Override
  public void close() {
    switchboard.close();
  }

  /** Builds a {@link Rig}. */
  static final class Builder {
    private final Kind primary;
    private final String primaryUrl;
    private Kind secondary;
    private String secondaryUrl;
    private RoutingPolicy policy = RoutingPolicy.DEFAULTS;
    private HttpSettings http = HttpSettings.DEFAULTS;
    private Duration consumerTimeout;

    private Builder(Kind primary, String primaryUrl) {
      this.primary = primary;
      this.primaryUrl = primaryUrl;
    }

    Builder secondary(Kind kind, String url) {
      this.secondary = kind;
      this.secondaryUrl = url;
      return this;
    }

    Builder policy(RoutingPolicy policy) {
      this.policy = policy;
      return this;
    }

    Builder http(HttpSettings http) {
      this.http = http;
      return this;
    }

    Builder consumerTimeout(Duration timeout) {
      this.consumerTimeout = timeout;
      return this;
    }

    Rig build() {
      return new Rig(this);
    }
  }
}
