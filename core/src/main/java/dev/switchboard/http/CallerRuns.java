package dev.switchboard.http;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * Lets a blocking caller run its own HTTP call on its own thread.
 *
 * <p>A caller of {@code Switchboard.chat} waits for the answer anyway. If the call went to
 * OkHttp's dispatcher, two threads would hand it over twice (the caller parks, a dispatcher thread
 * does the I/O and parsing, then wakes the caller), and on a fast network that hand-over is most
 * of what a client costs over a bare {@code Call.execute()}. So the engine sends the attempt
 * inside {@link #sending}; {@link HttpCalls#execute} then leaves the call here instead of
 * enqueueing it, and the caller runs it in {@link #runUntil} once the engine has returned.
 *
 * <p>The call runs outside the engine's serial executor, so its timers (deadline, hedge) reach it
 * as usual: a hedge starts on the scheduler's thread and goes to the dispatcher, and the deadline
 * cancels the call. Only the caller's own thread defers, only while the caller is in
 * {@code runUntil} or before it, and one call at a time: a failover the finished call leads to on
 * this thread is deferred and run next; anything sent elsewhere or meanwhile is enqueued.
 */
public final class CallerRuns {
  private static final ThreadLocal<CallerRuns> ARMED = new ThreadLocal<>();

  private final Thread owner = Thread.currentThread();
  private boolean over;
  private Call call;
  private Callback callback;

  /** For the thread that will call {@link #runUntil}. */
  public CallerRuns() {}

  /**
   * Runs {@code send}, leaving the first HTTP call it makes through {@link HttpCalls#execute} to
   * {@link #runUntil} when this is the owner's thread and the owner has not finished.
   */
  public <T> T sending(Supplier<T> send) {
    if (over || Thread.currentThread() != owner) return send.get();
    CallerRuns outer = ARMED.get();
    ARMED.set(this);
    try {
      return send.get();
    } finally {
      if (outer == null) ARMED.remove();
      else ARMED.set(outer);
    }
  }

  /** Whether this is the owner's thread and the owner has not finished: a call it leads to here runs here next. */
  public boolean onOwnerThread() {
    return Thread.currentThread() == owner && !over;
  }

  /**
   * Whether this thread is a blocking caller's, inside {@link #sending}: it waits for the answer
   * anyway, so work that may block before the call is sent (a credential lookup) may run here.
   */
  public static boolean armed() {
    return ARMED.get() != null;
  }

  /** Takes {@code call} for the armed caller, if any and if it has no call yet. */
  static boolean defer(Call call, Callback callback) {
    CallerRuns armed = ARMED.get();
    if (armed == null || armed.call != null) return false;
    armed.call = call;
    armed.callback = callback;
    return true;
  }

  /**
   * Runs the deferred calls on this thread, one after another, until none is left. A call
   * deferred after {@code result} completed, or once this thread is interrupted, is enqueued
   * instead, so that nothing waits for a caller who has stopped.
   */
  public void runUntil(CompletableFuture<?> result) {
    if (Thread.currentThread() != owner) throw new IllegalStateException("not the owner's thread");
    try {
      while (call != null) {
        Call c = call;
        Callback cb = callback;
        call = null;
        callback = null;
        if (result.isDone() || owner.isInterrupted()) {
          c.enqueue(cb);
        } else {
          run(c, cb);
        }
      }
    } finally {
      over = true;
      if (call != null) call.enqueue(callback);
    }
  }

  private static void run(Call call, Callback callback) {
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      // Okio checks for an interrupt before each read and write: report it as the caller giving
      // up, not as a network failure that would count against the target, and keep the flag.
      boolean interrupted = e instanceof java.io.InterruptedIOException && "interrupted".equals(e.getMessage());
      if (interrupted && !Thread.currentThread().isInterrupted()) Thread.currentThread().interrupt();
      if (Thread.currentThread().isInterrupted()) call.cancel();
      callback.onFailure(call, e);
      return;
    } catch (RuntimeException e) {
      call.cancel();
      callback.onFailure(call, new IOException("call failed: " + e, e));
      return;
    }
    try {
      callback.onResponse(call, response);
    } catch (IOException e) {
      response.close();
      callback.onFailure(call, e);
    }
  }
}
