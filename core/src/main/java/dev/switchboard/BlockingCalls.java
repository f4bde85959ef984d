package dev.switchboard;

import dev.switchboard.http.CallerRuns;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * How a blocking {@link Switchboard#chat} or {@link Switchboard#embed} waits: the caller's
 * thread runs the HTTP call itself (see {@link CallerRuns}) unless interruptible calls were asked
 * for, the wait is bounded, and a failure is rethrown on the caller's thread.
 */
final class BlockingCalls {
  /** How long past its deadline a blocking caller waits for a call before giving up on it. */
  static final long AWAIT_GRACE_MILLIS = 30_000;

  private BlockingCalls() {}

  /**
   * Starts a call for a waiting caller and waits. The call's own deadline ends it; the wait is
   * bounded besides, by that deadline plus {@link #AWAIT_GRACE_MILLIS}, so that a timer lost to
   * a broken scheduler cannot leave the caller waiting for ever.
   */
  static <T> T run(Function<CallerRuns, CompletableFuture<T>> start, long timeoutMillis, boolean interruptible) {
    if (interruptible) return await(start.apply(null), timeoutMillis);
    CallerRuns here = new CallerRuns();
    CompletableFuture<T> f = start.apply(here);
    here.runUntil(f);
    return await(f, timeoutMillis);
  }

  private static <T> T await(CompletableFuture<T> future, long timeoutMillis) {
    long waitMillis = timeoutMillis > Long.MAX_VALUE - AWAIT_GRACE_MILLIS ? Long.MAX_VALUE : timeoutMillis + AWAIT_GRACE_MILLIS;
    try {
      return future.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw SwitchboardException.of(ErrorKind.CANCELLED, "interrupted while waiting for the call");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw SwitchboardException.of(ErrorKind.TIMEOUT, "the call did not end within " + waitMillis
          + " ms, its deadline of " + timeoutMillis + " ms plus " + AWAIT_GRACE_MILLIS
          + " ms: its deadline timer never ran (is the scheduler running?); the call was cancelled");
    } catch (CancellationException e) {
      throw SwitchboardException.of(ErrorKind.CANCELLED, "call cancelled");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SwitchboardException se) throw rethrownHere(se);
      throw SwitchboardException.builder(ErrorKind.PROTOCOL, "call failed: " + e.getCause()).cause(e.getCause()).build();
    }
  }

  /**
   * {@code e}, made again on this thread, the way a blocking call must throw it: the call ended
   * on another thread (OkHttp's, the scheduler's), so {@code e}'s stack trace holds no frame of
   * the caller. The copy has the same class and every field of {@code e} (kind, context,
   * attempts, a stream's partial output) with this thread's stack trace, and {@code e} as its
   * cause (printed as a pointer up, see {@link SwitchboardException}, so its text appears once).
   * A subclass that cannot copy itself through {@link SwitchboardException#toBuilder()} is
   * thrown as it is, with the caller's frames added as a suppressed exception.
   */
  static SwitchboardException rethrownHere(SwitchboardException e) {
    SwitchboardException copy = e.toBuilder().cause(e).build();
    if (copy.getClass() == e.getClass()) return copy;
    e.addSuppressed(new RuntimeException("rethrown on thread '" + Thread.currentThread().getName() + "'"));
    return e;
  }
}
