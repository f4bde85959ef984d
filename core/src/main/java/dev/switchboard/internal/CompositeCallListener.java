package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SkipReason;
import dev.switchboard.TargetRef;
import dev.switchboard.resilience.CircuitState;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener fan-out of a call: each callback goes to every listener (metrics, tracing,
 * the user's), in order, and nothing a listener or its factory throws reaches the call or the
 * listeners after it. A call whose factories give no listener gets {@link CallListener#NONE}.
 */
public final class CompositeCallListener implements CallListener {
  private static final Logger log = LoggerFactory.getLogger(CompositeCallListener.class);
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
    return call -> createAll(all, call);
  }

  /** The listener for one call from {@code factory}: a catching fan-out, or {@link CallListener#NONE}. */
  static CallListener create(CallListener.Factory factory, CallInfo info) {
    if (factory == CallListener.Factory.NONE) return CallListener.NONE;
    CallListener l = createOne(factory, info);
    if (l == CallListener.NONE || l instanceof CompositeCallListener) return l;
    return new CompositeCallListener(new CallListener[] {l});
  }

  private static CallListener createAll(CallListener.Factory[] factories, CallInfo info) {
    CallListener[] ls = new CallListener[factories.length];
    int n = 0;
    for (CallListener.Factory f : factories) {
      CallListener l = createOne(f, info);
      if (l != CallListener.NONE) ls[n++] = l;
    }
    return n == 0 ? CallListener.NONE : new CompositeCallListener(Arrays.copyOf(ls, n));
  }

  private static CallListener createOne(CallListener.Factory factory, CallInfo info) {
    CallListener l;
    try {
      l = factory.create(info);
    } catch (RuntimeException e) {
      log.warn("CallListener.Factory {} threw; this call has no listener", factory.getClass().getName(), e);
      return CallListener.NONE;
    }
    return l == null ? CallListener.NONE : l;
  }

  private static void failed(String callback, RuntimeException e) {
    log.warn("CallListener.{} threw; ignored", callback, e);
  }

  @Override
  public void callStart(CallInfo call) {
    for (CallListener l : listeners) {
      try {
        l.callStart(call);
      } catch (RuntimeException e) {
        failed("callStart", e);
      }
    }
  }

  @Override
  public void targetChosen(TargetRef target) {
    for (CallListener l : listeners) {
      try {
        l.targetChosen(target);
      } catch (RuntimeException e) {
        failed("targetChosen", e);
      }
    }
  }

  @Override
  public void targetSkipped(TargetRef target, SkipReason reason, String detail) {
    for (CallListener l : listeners) {
      try {
        l.targetSkipped(target, reason, detail);
      } catch (RuntimeException e) {
        failed("targetSkipped", e);
      }
    }
  }

  @Override
  public void attemptStart(TargetRef target, int attempt, boolean hedge) {
    for (CallListener l : listeners) {
      try {
        l.attemptStart(target, attempt, hedge);
      } catch (RuntimeException e) {
        failed("attemptStart", e);
      }
    }
  }

  @Override
  public void attemptEnd(Attempt attempt) {
    for (CallListener l : listeners) {
      try {
        l.attemptEnd(attempt);
      } catch (RuntimeException e) {
        failed("attemptEnd", e);
      }
    }
  }

  @Override
  public void retryScheduled(TargetRef target, Duration delay, ErrorKind cause) {
    for (CallListener l : listeners) {
      try {
        l.retryScheduled(target, delay, cause);
      } catch (RuntimeException e) {
        failed("retryScheduled", e);
      }
    }
  }

  @Override
  public void failover(TargetRef from, TargetRef to, ErrorKind cause) {
    for (CallListener l : listeners) {
      try {
        l.failover(from, to, cause);
      } catch (RuntimeException e) {
        failed("failover", e);
      }
    }
  }

  @Override
  public void hedgeStarted(TargetRef primary, TargetRef hedge) {
    for (CallListener l : listeners) {
      try {
        l.hedgeStarted(primary, hedge);
      } catch (RuntimeException e) {
        failed("hedgeStarted", e);
      }
    }
  }

  @Override
  public void hedgeWon(TargetRef winner, boolean hedge) {
    for (CallListener l : listeners) {
      try {
        l.hedgeWon(winner, hedge);
      } catch (RuntimeException e) {
        failed("hedgeWon", e);
      }
    }
  }

  @Override
  public void retryBudgetExhausted(TargetRef target) {
    for (CallListener l : listeners) {
      try {
        l.retryBudgetExhausted(target);
      } catch (RuntimeException e) {
        failed("retryBudgetExhausted", e);
      }
    }
  }

  @Override
  public void circuitStateChanged(TargetRef target, CircuitState from, CircuitState to) {
    for (CallListener l : listeners) {
      try {
        l.circuitStateChanged(target, from, to);
      } catch (RuntimeException e) {
        failed("circuitStateChanged", e);
      }
    }
  }

  @Override
  public void streamChunk(TargetRef target, long nanosSincePrevious) {
    for (CallListener l : listeners) {
      try {
        l.streamChunk(target, nanosSincePrevious);
      } catch (RuntimeException e) {
        failed("streamChunk", e);
      }
    }
  }

  @Override
  public void firstEvent(TargetRef target, Duration timeToFirstEvent) {
    for (CallListener l : listeners) {
      try {
        l.firstEvent(target, timeToFirstEvent);
      } catch (RuntimeException e) {
        failed("firstEvent", e);
      }
    }
  }

  @Override
  public void callEnd(CallEnd end) {
    for (CallListener l : listeners) {
      try {
        l.callEnd(end);
      } catch (RuntimeException e) {
        failed("callEnd", e);
      }
    }
  }
}
