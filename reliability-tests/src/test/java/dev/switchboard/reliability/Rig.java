package dev.switchboard.reliability;

import dev.switchboard.CallListener;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.HttpSettings;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.VirtualTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
  /** Attempts started and not yet ended, over every call. */
  final AtomicInteger attemptsInFlight = new AtomicInteger();
  final AtomicInteger attemptsStarted = new AtomicInteger();
  /** Streams whose first event reached the caller (told once the call committed to that attempt). */
  final AtomicInteger firstEvents = new AtomicInteger();
  /** When the retry last scheduled is due (null once an attempt started): what a virtual-time driver waits for. */
  final AtomicReference<Instant> retryDue = new AtomicReference<>();

  private Rig(Builder b) {
    Probe probe = new Probe();
    Clock clock = b.time != null ? b.time : Clock.systemUTC();
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
          public void attemptStart(dev.switchboard.TargetRef target, int attempt, boolean hedge) {
            retryDue.set(null);
            attemptsStarted.incrementAndGet();
            attemptsInFlight.incrementAndGet();
          }

          @Override
          public void retryScheduled(dev.switchboard.TargetRef target, Duration delay, dev.switchboard.ErrorKind cause) {
            retryDue.set(clock.instant().plus(delay));
          }

          @Override
          public void firstEvent(dev.switchboard.TargetRef target, Duration timeToFirstEvent) {
            firstEvents.incrementAndGet();
          }

          @Override
          public void attemptEnd(dev.switchboard.Attempt attempt) {
            if (attempt.outcome() != dev.switchboard.Attempt.Outcome.SKIPPED) attemptsInFlight.decrementAndGet();
          }

          @Override
          public void callEnd(CallEnd end) {
            ends.add(end);
          }
        });
    if (b.time != null) sb.time(b.time, b.time);
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
    private VirtualTime time;

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

    /** Runs the switchboard's clock and timers on {@code time} (HTTP stays real). */
    Builder time(VirtualTime time) {
      this.time = time;
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
