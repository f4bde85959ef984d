package dev.switchboard.examples.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider endpoint simulated on loopback with the JDK's {@code HttpServer}: it speaks the
 * provider's wire format and can be scripted, request by request, to fail the way real
 * endpoints do. Faults are used in the order they were queued; with none queued, requests are
 * answered normally. {@link #refuseConnections()} closes the port (clients get "connection
 * refused") until {@link #acceptConnections()} opens it again on the same port.
 *
 * <p>Requests are checked (credentials, path, version, body) before any fault is applied, so a
 * misconfigured client always sees the real rejection rather than a scripted outage.
 */
public abstract class SimulatedEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedEndpoint.class);
  private final java.util.Queue<String> paths = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final String name;
  private final int port;
  private final ExecutorService workers;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger faulted = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration tokenDelay = Duration.ZERO;
  private HttpServer server;
  private boolean closed;

  /** Starts listening on an ephemeral loopback port. */
  protected SimulatedEndpoint(String name) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sim-" + name);
      t.setDaemon(true);
      return t;
    });
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  /** Counts of what this endpoint has seen since it started. */
  public record Stats(int requests, int answered, int faulted, int rejected) {
    @Override
    public String toString() {
      return requests + " requests: " + answered + " answered, " + faulted + " scripted faults, " + rejected + " rejected";
    }
  }

  /** The base URL, {@code http://127.0.0.1:<port>}, stable across refuse/accept. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public String name() {
    return name;
  }

  /** Queues {@code fault} for the next request that passes the endpoint's checks. */
  public SimulatedEndpoint enqueue(Fault fault) {
    return enqueue(1, fault);
  }

  /** Queues {@code fault} for the next {@code times} requests. */
  public synchronized SimulatedEndpoint enqueue(int times, Fault fault) {
    Objects.requireNonNull(fault, "fault == null");
    if (times < 1) throw new IllegalArgumentException("times must be >= 1");
    for (int i = 0; i < times; i++) faults.add(fault);
    return this;
  }

  /** Faults queued and not used yet. */
  public synchronized int pendingFaults() {
    return faults.size();
  }

  /** Forgets queued faults. */
  public synchronized void clearFaults() {
    faults.clear();
  }

  /** Closes the listening port and every open connection: new connections are refused. */
  public synchronized void refuseConnections() {
    if (server != null) {
      server.stop(0);
      server = null;
      log.debug("{} now refuses connections on port {}", name, port);
    }
  }

  /** Listens again on the same port after {@link #refuseConnections()}. */
  public synchronized void acceptConnections() {
    if (closed) throw new IllegalStateException(name + " is closed");
    if (server == null) {
      server = listen(port);
      log.debug("{} accepts connections again on port {}", name, port);
    }
  }

  public synchronized boolean acceptingConnections() {
    return server != null;
  }

  /** How long a normal answer takes before its first byte (default zero). */
  public SimulatedEndpoint latency(Duration latency) {
    this.latency = nonNegative(latency, "latency");
    return this;
  }

  /** The pause between two streamed tokens (default zero). */
  public SimulatedEndpoint tokenDelay(Duration delay) {
    this.tokenDelay = nonNegative(delay, "tokenDelay");
    return this;
  }

  /** The path of every request that reached this endpoint, in arrival order (a request log for tests). */
  public List<String> requestPaths() {
    return List.copyOf(paths);
  }

  public Stats stats() {
    return new Stats(requests.get(), answered.get(), faulted.get(), rejected.get());
  }

  @Override
  public synchronized void close() {
    closed = true;
    refuseConnections();
    workers.shutdownNow();
  }

  /** Handles one request that has been counted; subclasses answer, reject or apply a fault. */
  protected abstract void handle(HttpExchange exchange, byte[] body) throws IOException;

  /** The next queued fault, or null to answer normally. */
  protected synchronized Fault nextFault() {
    Fault f = faults.poll();
    if (f != null) faulted.incrementAndGet();
    return f;
  }

  protected void countAnswered() {
    answered.incrementAndGet();
  }

  protected void countRejected() {
    rejected.incrementAndGet();
  }

  /** Waits the configured answer latency (this is a simulator: the delay is the point). */
  protected void simulateLatency() {
    pause(latency);
  }

  /** Waits between two streamed tokens. */
  protected void simulateTokenDelay() {
    pause(tokenDelay);
  }

  private static void pause(Duration d) {
    if (d.isZero()) return;
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpServer listen(int onPort) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
      s.setExecutor(workers);
      s.createContext("/", this::dispatch);
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + onPort + " for " + name, e);
    }
  }

  private void dispatch(HttpExchange exchange) {
    requests.incrementAndGet();
    paths.add(exchange.getRequestURI().getRawPath());
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      handle(exchange, body);
    } catch (IOException e) {
      // The client went away (a cancelled call, a closed stream): nothing left to answer.
      log.debug("{}: exchange ended early: {}", name, e.toString());
    } catch (RuntimeException e) {
      log.warn("{}: simulator failed on {} {}", name, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
      if (exchange.getResponseCode() == -1) {
        try {
          Wire.send(exchange, 500, "text/plain", "simulator failure: " + e.getClass().getSimpleName());
        } catch (IOException ignored) {
          // the client is gone too
        }
      }
    }
  }

  private static Duration nonNegative(Duration d, String what) {
    Objects.requireNonNull(d, what + " == null");
    if (d.isNegative()) throw new IllegalArgumentException(what + " must be >= 0");
    return d;
  }
}
