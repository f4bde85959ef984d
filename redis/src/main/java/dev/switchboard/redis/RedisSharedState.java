package dev.switchboard.redis;

import dev.switchboard.TargetRef;
import dev.switchboard.state.SharedState;
import dev.switchboard.state.SharedTarget;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedState} on Redis: many Switchboard instances (pods) see one count of what was sent to
 * each target against its configured per-minute limits, and one cooldown and quota-exhausted
 * deadline per target.
 *
 * <p><b>The request path never waits for Redis.</b> A send is reported with one asynchronous
 * script call (one round trip, answered with the current shared counts and deadlines; at most one
 * in flight per target, later sends coalescing into the next, so a burst never queues a command
 * per call); reads
 * answer from memory; a background task refreshes every target's view each
 * {@linkplain Builder#refreshInterval refresh interval}, which is how a cooldown learned by one
 * instance reaches the others before they send. Every command has a timeout
 * ({@linkplain Builder#commandTimeout}); while Redis is unreachable, each instance counts on its
 * own (a WARN once, the {@code switchboard.shared_state.errors} counter, and
 * {@code switchboard.shared_state.up} at 0), and when it is back the instance's live cooldowns are
 * written again.
 *
 * <p><b>Keys</b> are {@code switchboard:{<namespace>:<deployment>/<model>}:...}, one hash slot per
 * target; every key has a TTL: counters live a window and a bucket, deadlines until they pass.
 * Counts use Redis's own clock ({@code TIME} inside the script) in 5-second buckets over the last
 * minute, and deadlines travel as remaining milliseconds ({@code PX} / {@code PTTL}), so instance
 * clocks need not agree.
 *
 * <p>Built once per application and given to {@code Switchboard.Builder.sharedState}; close it
 * after the switchboards that use it.
 */
public final class RedisSharedState implements SharedState {
  private static final Logger log = LoggerFactory.getLogger(RedisSharedState.class);

  static final int BUCKET_SECONDS = 5;
  static final int BUCKETS = 12;

  /** Adds this instance's sends, then answers the window's totals and both deadlines' PTTL. */
  private static final String SYNC = String.join("\n",
      "local t = redis.call('TIME')",
      "local width = tonumber(ARGV[3])",
      "local n = tonumber(ARGV[4])",
      "local b = math.floor(tonumber(t[1]) / width)",
      "local req = tonumber(ARGV[1])",
      "local tok = tonumber(ARGV[2])",
      "local ttl = width * (n + 1)",
      "if req ~= 0 then local k = KEYS[1] .. ':r:' .. b; redis.call('INCRBY', k, req); redis.call('EXPIRE', k, ttl) end",
      "if tok ~= 0 then local k = KEYS[1] .. ':t:' .. b; redis.call('INCRBY', k, tok); redis.call('EXPIRE', k, ttl) end",
      "local rs, ts = 0, 0",
      "for i = 0, n - 1 do",
      "  rs = rs + (tonumber(redis.call('GET', KEYS[1] .. ':r:' .. (b - i))) or 0)",
      "  ts = ts + (tonumber(redis.call('GET', KEYS[1] .. ':t:' .. (b - i))) or 0)",
      "end",
      "return {rs, ts, redis.call('PTTL', KEYS[1] .. ':cool'), redis.call('PTTL', KEYS[1] .. ':quota'),",
      "  redis.call('PTTL', KEYS[1] .. ':recovered')}");

  /** Sets a deadline key to expire in ARGV[1] ms unless it already lasts longer; answers its PTTL. */
  private static final String EXTEND = String.join("\n",
      "local ms = tonumber(ARGV[1])",
      "if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end",
      "return redis.call('PTTL', KEYS[1])");

  /** How long a "recovered" hint lives; its age is this minus its PTTL, on Redis's clock. */
  static final long RECOVERED_HINT_MILLIS = 60_000;

  private final RedisClient client;
  private final String namespace;
  private final String address;
  private final ScheduledExecutorService background;
  /** One view per target and clock: deadlines in a view are on its switchboard's clock. */
  private record ViewKey(String key, Clock clock) {}

  private final Map<ViewKey, RedisTarget> targets = new ConcurrentHashMap<>();
  private final Counter errors;
  private volatile StatefulRedisConnection<String, String> connection;
  private final ClientResources resources;
  private volatile boolean up;
  private volatile boolean warned;
  private volatile boolean closed;

  private RedisSharedState(Builder b) {
    RedisURI uri = RedisURI.create(b.uri);
    uri.setTimeout(b.commandTimeout);
    this.address = uri.getHost() + ":" + uri.getPort(); // never the URI: it may hold a password
    this.namespace = b.namespace;
    // Reconnect soon after Redis is back (Lettuce's default backs off up to 30 s).
    this.resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) // fail fast, never queue
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(b.commandTimeout).build())
        .build());
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "switchboard-redis-refresh");
      t.setDaemon(true);
      return t;
    });
    if (b.meterRegistry != null) {
      this.errors = Counter.builder("switchboard.shared_state.errors")
          .description("commands to the shared state store that failed or timed out").register(b.meterRegistry);
      Gauge.builder("switchboard.shared_state.up", this, s -> s.up ? 1 : 0)
          .description("1 while the shared state store answers, 0 while each instance counts on its own")
          .register(b.meterRegistry);
    } else {
      this.errors = null;
    }
    background.execute(this::connect); // a Redis that is down at start-up must not stop the application
    long every = b.refreshInterval.toMillis();
    background.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  /** A store at {@code uri} ({@code redis://host:port}, {@code rediss://...} for TLS) with the defaults. */
  public static RedisSharedState create(String uri) {
    return builder().uri(uri).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SharedTarget target(TargetRef target, Clock clock) {
    String key = "switchboard:{" + clean(namespace) + ":" + clean(target.deployment()) + "/" + clean(target.model()) + "}";
    return targets.computeIfAbsent(new ViewKey(key, clock), k -> new RedisTarget(key, clock));
  }

  /** True while the last command to Redis succeeded. */
  public boolean reachable() {
    return up;
  }

  /**
   * True when no report of this instance's sends is still on its way to Redis. Each answer brings
   * back the shared totals, so once settled this instance's view includes everything it sent.
   */
  public boolean settled() {
    for (RedisTarget t : targets.values()) {
      if (t.pendingRequests.get() != 0 || t.pendingTokens.get() != 0) return false;
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    background.shutdownNow();
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) c.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisSharedState{" + address + ", namespace=" + namespace + (up ? "" : ", unreachable") + "}";
  }

  /** Braces would end the hash tag early; anything else is kept as given. */
  private static String clean(String part) {
    return part.replace('{', '_').replace('}', '_');
  }

  private void connect() {
    if (closed || connection != null) return;
    try {
      connection = client.connect();
      succeeded();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void refresh() {
    if (closed) return;
    if (connection == null) {
      connect();
      if (connection == null) return;
    }
    for (RedisTarget t : targets.values()) t.refresh();
  }

  private RedisAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = connection;
    return c == null ? null : c.async();
  }

  private void succeeded() {
    if (up) return;
    up = true;
    warned = false;
    log.info("shared state: Redis at {} is reachable; cooldowns and quota use are shared", address);
    targets.values().forEach(RedisTarget::republish);
  }

  private void failed(Throwable e) {
    if (errors != null) errors.increment();
    up = false;
    if (warned) return; // once per outage
    warned = true;
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    log.warn("shared state: Redis at {} is unreachable ({}); each instance counts on its own until it is back",
        address, cause.getClass().getSimpleName());
  }

  /** One target's view: counts and deadlines from the last reply, plus sends not yet answered. */
  private final class RedisTarget implements SharedTarget {
    private final String key;
    private final Clock clock;
    private final AtomicLong pendingRequests = new AtomicLong();
    private final AtomicLong pendingTokens = new AtomicLong();
    private final AtomicLong unsentRequests = new AtomicLong();
    private final AtomicLong unsentTokens = new AtomicLong();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long unsentSince = Long.MIN_VALUE;
    private volatile long requests = -1;
    private volatile long tokens = -1;
    private volatile long cooldownUntil = Long.MIN_VALUE;
    private volatile long quotaUntil = Long.MIN_VALUE;
    private volatile long publishedCooldown = Long.MIN_VALUE;
    private volatile long publishedQuota = Long.MIN_VALUE;
    private volatile long recoveredAt = Long.MIN_VALUE;

    RedisTarget(String key, Clock clock) {
      this.key = key;
      this.clock = clock;
    }

    @Override
    public void sent(int requestCount, long tokenCount) {
      pendingRequests.addAndGet(requestCount);
      pendingTokens.addAndGet(tokenCount);
      unsentRequests.addAndGet(requestCount);
      unsentTokens.addAndGet(tokenCount);
      flush();
    }

    /** Reads the shared view again (adding whatever is unsent), unless a reply is already on its way. */
    void refresh() {
      flush();
    }

    /**
     * Sends what this instance sent since the last report, one script call per target at a time:
     * under load, sends coalesce into the next call instead of queueing a command each, so the
     * commands in flight stay bounded whatever the call rate.
     */
    private void flush() {
      if (!inFlight.compareAndSet(false, true)) return; // the reply will flush what accumulates meanwhile
      long requestCount = unsentRequests.getAndSet(0);
      long tokenCount = unsentTokens.getAndSet(0);
      RedisAsyncCommands<String, String> redis = commands();
      if (redis == null) {
        // Not connected yet (start-up): keep them for the first connection, unless they are older
        // than the window they belong to, which a late report would wrongly fill.
        long now = clock.millis();
        if (unsentSince == Long.MIN_VALUE) unsentSince = now;
        if (now - unsentSince <= BUCKET_SECONDS * BUCKETS * 1000L) {
          unsentRequests.addAndGet(requestCount);
          unsentTokens.addAndGet(tokenCount);
          inFlight.set(false);
        } else {
          unsentSince = now;
          settle(requestCount, tokenCount);
        }
        return;
      }
      unsentSince = Long.MIN_VALUE;
      CompletionStage<List<Object>> reply;
      try {
        reply = redis.eval(SYNC, ScriptOutputType.MULTI, new String[] {key},
            Long.toString(requestCount), Long.toString(tokenCount), Integer.toString(BUCKET_SECONDS), Integer.toString(BUCKETS));
      } catch (RuntimeException e) {
        settle(requestCount, tokenCount);
        failed(e);
        return;
      }
      reply.whenComplete((values, e) -> {
        if (e == null) {
          long now = clock.millis();
          requests = number(values.get(0));
          tokens = number(values.get(1));
          extend(true, now, number(values.get(2)));
          extend(false, now, number(values.get(3)));
          long hint = number(values.get(4));
          if (hint > 0) {
            long at = now - (RECOVERED_HINT_MILLIS - hint);
            if (at > recoveredAt) recoveredAt = at;
          }
        }
        settle(requestCount, tokenCount); // answered or failed, it is no longer pending
        if (e != null) {
          failed(e);
          return;
        }
        succeeded();
        if (unsentRequests.get() != 0 || unsentTokens.get() != 0) flush();
      });
    }

    private void settle(long requestCount, long tokenCount) {
      pendingRequests.addAndGet(-requestCount);
      pendingTokens.addAndGet(-tokenCount);
      inFlight.set(false);
    }

    private void extend(boolean cooldown, long now, long pttl) {
      if (pttl <= 0) return; // -2: no key, -1: no expiry (never written by us)
      long until = now + pttl;
      if (cooldown) {
        if (until > cooldownUntil) cooldownUntil = until;
      } else if (until > quotaUntil) {
        quotaUntil = until;
      }
    }

    @Override
    public void coolDownUntil(long until) {
      if (until > publishedCooldown) publishedCooldown = until;
      publish(":cool", until, true);
    }

    @Override
    public void quotaExhaustedUntil(long until) {
      if (until > publishedQuota) publishedQuota = until;
      publish(":quota", until, false);
    }

    /** Writes this instance's deadlines that are still live again, after Redis came back. */
    void republish() {
      long now = clock.millis();
      if (publishedCooldown > now) publish(":cool", publishedCooldown, true);
      if (publishedQuota > now) publish(":quota", publishedQuota, false);
    }

    private void publish(String suffix, long until, boolean cooldown) {
      long now = clock.millis();
      long ms = until - now;
      if (ms <= 0) return;
      RedisAsyncCommands<String, String> redis = commands();
      if (redis == null) return;
      CompletionStage<Long> reply = redis.eval(EXTEND, ScriptOutputType.INTEGER, new String[] {key + suffix}, Long.toString(ms));
      reply.whenComplete((pttl, e) -> {
        if (e != null) {
          failed(e);
          return;
        }
        succeeded();
        extend(cooldown, clock.millis(), pttl);
      });
    }

    @Override
    public void circuitRecovered() {
      recoveredAt = clock.millis();
      RedisAsyncCommands<String, String> redis = commands();
      if (redis == null) return;
      redis.set(key + ":recovered", "1", SetArgs.Builder.px(RECOVERED_HINT_MILLIS)).whenComplete((ok, e) -> {
        if (e != null) failed(e);
        else succeeded();
      });
    }

    @Override
    public long recoveredAt() {
      return recoveredAt;
    }

    @Override
    public long cooldownUntil() {
      return cooldownUntil;
    }

    @Override
    public long quotaExhaustedUntil() {
      return quotaUntil;
    }

    @Override
    public long requestsInLastMinute(long now) {
      long shared = requests;
      return !up || shared < 0 ? -1 : shared + Math.max(0, pendingRequests.get());
    }

    @Override
    public long tokensInLastMinute(long now) {
      long shared = tokens;
      return !up || shared < 0 ? -1 : shared + Math.max(0, pendingTokens.get());
    }

    private static long number(Object o) {
      return o instanceof Number n ? n.longValue() : -1;
    }
  }

  /** Settings of a {@link RedisSharedState}. */
  public static final class Builder {
    private String uri;
    private String namespace = "default";
    private Duration commandTimeout = Duration.ofMillis(250);
    private Duration refreshInterval = Duration.ofMillis(500);
    private MeterRegistry meterRegistry;

    private Builder() {}

    /** {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS. Required. */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri == null");
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        throw new IllegalArgumentException("shared-state redis uri must start with redis:// or rediss://");
      }
      this.uri = uri;
      return this;
    }

    /** Separates applications sharing one Redis; instances of one application use the same. Default {@code default}. */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace == null");
      if (namespace.isBlank()) throw new IllegalArgumentException("shared-state namespace is blank");
      this.namespace = namespace;
      return this;
    }

    /** The longest any command may take before the instance falls back to local state. Default 250 ms. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /** How often every target's view is read again (how soon a cooldown reaches other instances). Default 500 ms. */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = positive(interval, "refreshInterval");
      return this;
    }

    /** Where {@code switchboard.shared_state.up} and {@code .errors} are registered; none by default. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry == null");
      return this;
    }

    public RedisSharedState build() {
      if (uri == null) throw new IllegalStateException("shared-state redis uri is not set");
      return new RedisSharedState(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
      return d;
    }
  }
}
