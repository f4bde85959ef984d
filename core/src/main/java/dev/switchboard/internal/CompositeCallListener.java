package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.CircuitState;
import java.time.Duration;
import java.util.List;

/** Fans each callback out to several listeners (metrics, tracing, the user's), in order. */
public final class CompositeCallListener implements CallListener {
  private final CallListener[] listeners;

  private CompositeCallListener(CallListener[] listeners) {
    this.listeners = listeners;
  }

  /** One factory creating every given factory's listener; the factories that give none are left out. */
  public static CallListener.Factory factory(List<CallListener.Factory> factories) {
    List<CallListener.Factory> real = factories.stream().filter(f -> f != CallListener.Factory.NONE).toList();
    if (real.isEmpty()) return CallListener.Factory.NONE;
    if (real.size() == 1) return real.get(0);
    CallListener.Factory[] all = real.toArray(new CallListener.Factory[0]);
    return call -> {
      CallListener[] ls = new CallListener[all.length];
      int n = 0;
      for (CallListener.Factory f : all) {
        CallListener l = SafeListener.create(f, call);
        if (l != CallListener.NONE) ls[n++] = l;
      }
      if (n == 0) return CallListener.NONE;
      return n == 1 ? ls[0] : new CompositeCallListener(java.util.Arrays.copyOf(ls, n));
    };
  }

  @Override
  public void callStart(CallInfo call) {
    for (CallListener l : listeners) l.callStart(call);
  }

  @Override
  public void targetChosen(TargetRef target) {
    for (CallListener l : listeners) l.targetChosen(target);
  }

  @Override
  public void targetSkipped(TargetRef target, SkipReason reason, String detail) {
    for (CallListener l : listeners) l.targetSkipped(target, reason, detail);
  }

  @Override
  public void attemptStart(TargetRef target, int attempt, boolean hedge) {
    for (CallListener l : listeners) l.attemptStart(target, attempt, hedge);
  }

  @Override
  public void attemptEnd(Attempt attempt) {
    for (CallListener l : listeners) l.attemptEnd(attempt);
  }

  @Override
  public void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
    for (CallListener l : listeners) l.retryScheduled(target, delay, cause);
  }

  @Override
  public void failover(TargetRef from, TargetRef to, ErrorKind cause) {
    for (CallListener l : listeners) l.failover(from, to, cause);
  }

  @Override
  public void hedgeStarted(TargetRef primary, TargetRef hedge) {
    for (CallListener l : listeners) l.hedgeStarted(primary, hedge);
  }

  @Override
  public void hedgeWon(TargetRef winner, boolean hedge) {
    for (CallListener l : listeners) l.hedgeWon(winner, hedge);
  }

  @Override
  public void retryBudgetExhausted(TargetRef target) {
    for (CallListener l : listeners) l.retryBudgetExhausted(target);
  }

  @Override
  public void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {
    for (CallListener l : listeners) l.circuitStateChanged(target, from, to);
  }

  @Override
  public void firstEvent(TargetRef target, Duration timeToFirstEvent) {
    for (CallListener l : listeners) l.firstEvent(target, timeToFirstEvent);
  }

  @Override
  public void streamChunk(TargetRef target, long nanosSincePrevious) {
    for (CallListener l : listeners) l.streamChunk(target, nanosSincePrevious);
  }

  @Override
  public void callEnd(CallEnd end) {
    for (CallListener l : listeners) l.callEnd(end);
  }
}
