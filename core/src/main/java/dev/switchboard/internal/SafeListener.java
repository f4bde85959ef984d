package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.CircuitState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wraps a user's {@link CallListener} so that nothing it throws reaches the call. */
final class SafeListener implements CallListener {
  private static final Logger log = LoggerFactory.getLogger(SafeListener.class);
  private final CallListener delegate;

  private SafeListener(CallListener delegate) {
    this.delegate = delegate;
  }

  /** The listener for one call; {@link CallListener#NONE} (unwrapped) when the factory gives none. */
  static CallListener create(CallListener.Factory factory, CallInfo info) {
    if (factory == CallListener.Factory.NONE) return CallListener.NONE;
    CallListener l;
    try {
      l = factory.create(info);
    } catch (RuntimeException e) {
      log.warn("CallListener.Factory {} threw; this call has no listener", factory.getClass().getName(), e);
      return CallListener.NONE;
    }
    return l == null || l == CallListener.NONE ? CallListener.NONE : new SafeListener(l);
  }

  private static void failed(String callback, RuntimeException e) {
    log.warn("CallListener.{} threw; ignored", callback, e);
  }

  @Override
  public void callStart(CallInfo call) {
    try {
      delegate.callStart(call);
    } catch (RuntimeException e) {
      failed("callStart", e);
    }
  }

  @Override
  public void targetChosen(TargetRef target) {
    try {
      delegate.targetChosen(target);
    } catch (RuntimeException e) {
      failed("targetChosen", e);
    }
  }

  @Override
  public void targetSkipped(TargetRef target, SkipReason reason, String detail) {
    try {
      delegate.targetSkipped(target, reason, detail);
    } catch (RuntimeException e) {
      failed("targetSkipped", e);
    }
  }

  @Override
  public void attemptStart(TargetRef target, int attempt, boolean hedge) {
    try {
      delegate.attemptStart(target, attempt, hedge);
    } catch (RuntimeException e) {
      failed("attemptStart", e);
    }
  }

  @Override
  public void attemptEnd(Attempt attempt) {
    try {
      delegate.attemptEnd(attempt);
    } catch (RuntimeException e) {
      failed("attemptEnd", e);
    }
  }

  @Override
  public void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
    try {
      delegate.retryScheduled(target, delay, cause);
    } catch (RuntimeException e) {
      failed("retryScheduled", e);
    }
  }

  @Override
  public void failover(TargetRef from, TargetRef to, ErrorKind cause) {
    try {
      delegate.failover(from, to, cause);
    } catch (RuntimeException e) {
      failed("failover", e);
    }
  }

  @Override
  public void hedgeStarted(TargetRef primary, TargetRef hedge) {
    try {
      delegate.hedgeStarted(primary, hedge);
    } catch (RuntimeException e) {
      failed("hedgeStarted", e);
    }
  }

  @Override
  public void hedgeWon(TargetRef winner, boolean hedge) {
    try {
      delegate.hedgeWon(winner, hedge);
    } catch (RuntimeException e) {
      failed("hedgeWon", e);
    }
  }

  @Override
  public void retryBudgetExhausted(TargetRef target) {
    try {
      delegate.retryBudgetExhausted(target);
    } catch (RuntimeException e) {
      failed("retryBudgetExhausted", e);
    }
  }

  @Override
  public void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {
    try {
      delegate.circuitStateChanged(target, from, to);
    } catch (RuntimeException e) {
      failed("circuitStateChanged", e);
    }
  }

  @Override
  public void streamChunk(TargetRef target, long nanosSincePrevious) {
    try {
      delegate.streamChunk(target, nanosSincePrevious);
    } catch (RuntimeException e) {
      failed("streamChunk", e);
    }
  }

  @Override
  public void firstEvent(TargetRef target, Duration timeToFirstEvent) {
    try {
      delegate.firstEvent(target, timeToFirstEvent);
    } catch (RuntimeException e) {
      failed("firstEvent", e);
    }
  }

  @Override
  public void callEnd(CallEnd end) {
    try {
      delegate.callEnd(end);
    } catch (RuntimeException e) {
      failed("callEnd", e);
    }
  }
}
