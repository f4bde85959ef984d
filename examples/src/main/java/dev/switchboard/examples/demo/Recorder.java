package dev.switchboard.examples.demo;

import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.CircuitState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens to every call of the demo's switchboard and keeps what a response's attempt trace does
 * not say: how long each retry waited and how circuit breakers moved. The demo runs one call at
 * a time, and a call's listener is created on the caller's thread, so {@link #lastCall()} right
 * after a call returns that call's events.
 */
public final class Recorder implements CallListener.Factory {
  private volatile Events last = new Events();

  /** What one call's listener saw. */
  public static final class Events implements CallListener {
    private final List<Duration> retryDelays = new ArrayList<>();
    private final List<String> circuitChanges = new ArrayList<>();

    @Override
    public synchronized void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
      retryDelays.add(delay);
    }

    @Override
    public synchronized void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {
      circuitChanges.add(target.deployment() + " " + from + " -> " + to);
    }

    /** The waits before each retry, in order. */
    public synchronized List<Duration> retryDelays() {
      return List.copyOf(retryDelays);
    }

    /** Circuit-breaker transitions this call caused, e.g. {@code azure-east CLOSED -> OPEN}. */
    public synchronized List<String> circuitChanges() {
      return List.copyOf(circuitChanges);
    }
  }

  @Override
  public CallListener create(CallListener.CallInfo call) {
    Events events = new Events();
    last = events;
    return events;
  }

  /** The events of the most recent call. */
  public Events lastCall() {
    return last;
  }
}
