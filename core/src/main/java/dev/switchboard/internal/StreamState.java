package dev.switchboard.internal;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStreamListener;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared state of one stream between the producer (the routing engine, on a provider's
 * reading thread) and the consumer (an iterator or a listener). The queue is bounded: a slow
 * consumer holds back the network read (an iterator may also hold one batch of up to
 * {@link #CAPACITY} events it has taken but not yet returned). A consumer that stops reading for
 * longer than {@code consumerTimeout} is treated as gone and the call is cancelled, so an
 * abandoned stream cannot pin a thread or a connection.
 *
 * <p>A listener is never called under the lock: events are queued under it, and one thread at a
 * time — whichever finds nobody delivering, usually the producer — takes the delivery role and
 * calls the listener outside the lock, in order, until nothing is left. So {@link #close()} from
 * any thread returns at once even while a listener is stuck in a callback, and the listener
 * still gets exactly one terminal callback (CANCELLED after a close), after its last event.
 */
public final class StreamState {
  private static final Logger log = LoggerFactory.getLogger(StreamState.class);
  static final int CAPACITY = 256;
  static final long NAP_NANOS = 50_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  /** Events pushed and not yet taken by the consumer (guarded by lock). */
  private ArrayDeque<ChatEvent> queue = new ArrayDeque<>();
  /**
   * The iterator's current batch: {@link #take} swaps the whole queue in at once and then serves
   * events from here without the lock, so a stream that arrives faster than it is read costs one
   * lock hand-over (and at most one wake-up) per batch instead of per event. Iterator thread only.
   */
  private ArrayDeque<ChatEvent> batch = new ArrayDeque<>();
  private final CompletableFuture<ChatResponse> response = new CompletableFuture<>();
  private final long consumerTimeoutNanos;
  private ChatStreamListener listener; // guarded by lock, as are the next three
  private boolean consumerChosen;
  /** A thread is delivering to the listener (outside the lock); only it calls the listener. */
  private boolean draining;
  /** The listener's onComplete/onError has been claimed by the delivering thread: it runs once. */
  private boolean terminalDelivered;
  private volatile boolean closed; // written under lock; read without it by take()'s fast path
  private Runnable onCancel = () -> {};
  /**
   * The caller's handle, once a listener consumes the stream: {@code sb.stream(r).listen(l)} keeps
   * no handle, and a listener is not an abandoned consumer, so the producer (which holds this state)
   * keeps the handle reachable and its cleaner from closing the stream while it runs.
   */
  @SuppressWarnings("unused")
  private volatile Object listenedHandle;

  public StreamState(Duration consumerTimeout) {
    this.consumerTimeoutNanos = consumerTimeout.toNanos();
  }

  /** What to run when the consumer closes the stream or is gone: cancels the current attempt. */
  public void onCancel(Runnable cancel) {
    lock.lock();
    try {
      this.onCancel = cancel;
    } finally {
      lock.unlock();
    }
  }

  public CompletableFuture<ChatResponse> response() {
    return response;
  }

  /**
   * Hands one event to the consumer, waiting while the queue is full.
   *
   * @return false if the stream is closed or finished and the producer should stop
   */
  public boolean push(ChatEvent event) {
    ChatStreamListener direct;
    lock.lock();
    try {
      if (closed || response.isDone()) return false;
      long wait = consumerTimeoutNanos;
      while (queue.size() >= CAPACITY) {
        // Without a consumer yet (or with an iterator) a full queue that stays full means the
        // consumer is gone. With a listener the queue fills only while another thread delivers
        // to it (events queued before listen(), a closing thread): wait for it, however slow.
        try {
          if (listener != null) {
            notFull.await();
          } else if (wait <= 0) {
            abandon();
            return false;
          } else {
            wait = notFull.awaitNanos(wait);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        if (closed || response.isDone()) return false;
      }
      direct = listener;
      if (direct == null || draining) {
        queue.addLast(event);
        if (direct == null) notEmpty.signal();
        return true; // an iterator takes it, or the thread delivering to the listener does, in order
      }
      // Nobody is delivering, so the queue is empty: deliver this event directly, outside the lock.
      draining = true;
    } finally {
      lock.unlock();
    }
    drain(direct, event);
    return !closed;
  }

  private void abandon() {
    log.debug("stream consumer did not read for {} ms; cancelling the call", consumerTimeoutNanos / 1_000_000);
    response.completeExceptionally(SwitchboardException.of(ErrorKind.CANCELLED,
        "stream consumer did not read for " + consumerTimeoutNanos / 1_000_000 + " ms; call cancelled"));
    notEmpty.signalAll();
    notFull.signalAll();
    closed = true;
    runCancel();
  }

  public void complete(ChatResponse value) {
    finish(value, null);
  }

  public void fail(SwitchboardException error) {
    finish(null, error);
  }

  private void finish(ChatResponse value, SwitchboardException error) {
    ChatStreamListener deliverTo;
    lock.lock();
    try {
      if (response.isDone()) return;
      if (error != null) response.completeExceptionally(error);
      else response.complete(value);
      notEmpty.signalAll();
      notFull.signalAll();
      deliverTo = claimDelivery();
    } finally {
      lock.unlock();
    }
    if (deliverTo != null) drain(deliverTo, null);
  }

  /**
   * Closes the stream from the consumer's side: cancels the call and drops queued events. Never
   * waits for a listener: if none is being called, the listener's {@code onError(CANCELLED)} runs
   * on this thread after the call is cancelled; otherwise the thread calling it delivers that
   * right after the callback in progress returns.
   */
  public void close() {
    ChatStreamListener deliverTo;
    lock.lock();
    try {
      if (closed) return;
      closed = true;
      queue.clear();
      if (!response.isDone()) {
        response.completeExceptionally(SwitchboardException.of(ErrorKind.CANCELLED, "stream closed by the caller"));
      }
      notEmpty.signalAll();
      notFull.signalAll();
      deliverTo = claimDelivery();
    } finally {
      lock.unlock();
    }
    runCancel();
    if (deliverTo != null) drain(deliverTo, null);
  }

  private void runCancel() {
    try {
      onCancel.run();
    } catch (RuntimeException e) {
      log.warn("cancelling a stream's call failed", e);
    }
  }

  public void chooseIterator() {
    lock.lock();
    try {
      if (consumerChosen) throw new IllegalStateException("a stream can be consumed once: by iterating or by a listener");
      consumerChosen = true;
    } finally {
      lock.unlock();
    }
  }

  /** As {@link #chooseListener(ChatStreamListener)}, keeping {@code handle} reachable while the stream runs. */
  public void chooseListener(ChatStreamListener l, Object handle) {
    listenedHandle = handle;
    chooseListener(l);
  }

  public void chooseListener(ChatStreamListener l) {
    ChatStreamListener deliverTo;
    lock.lock();
    try {
      if (consumerChosen) throw new IllegalStateException("a stream can be consumed once: by iterating or by a listener");
      consumerChosen = true;
      listener = l;
      notFull.signalAll();
      deliverTo = claimDelivery(); // events queued so far (and the end, if it came) go out on this thread
    } finally {
      lock.unlock();
    }
    if (deliverTo != null) drain(deliverTo, null);
  }

  /**
   * The next event for an iterator, waiting for it; null once the stream is over.
   *
   * @throws SwitchboardException the stream's failure, once queued events are consumed; CANCELLED
   *     when the waiting thread is interrupted (the stream is then closed and the flag kept set)
   */
  public ChatEvent take() {
    if (closed) {
      batch.clear(); // close() drops what was queued, the batch already taken included
    } else {
      ChatEvent e = batch.pollFirst();
      if (e != null) return e;
    }
    boolean napped = false;
    lock.lock();
    try {
      while (true) {
        if (!queue.isEmpty() && !closed) {
          // Take everything queued in one step; the producer continues into the emptied deque.
          ArrayDeque<ChatEvent> full = queue;
          queue = batch;
          batch = full;
          notFull.signal();
          return batch.pollFirst();
        }
        if (response.isDone()) {
          if (response.isCompletedExceptionally()) {
            throw (SwitchboardException) response.handle((r, t) -> t).join();
          }
          return null;
        }
        if (!napped) {
          // Run dry: nap briefly before waiting to be signalled. A consumer faster than the
          // producer (a burst of events already on the wire) would otherwise be woken once per
          // event, two context switches each; after the nap it takes what piled up as one batch.
          // An event arriving meanwhile waits at most NAP_NANOS; a slow stream pays one timed
          // wake-up per event and no delay.
          napped = true;
          lock.unlock();
          try {
            LockSupport.parkNanos(NAP_NANOS);
          } finally {
            lock.lock();
          }
          continue;
        }
        try {
          notEmpty.await();
        } catch (InterruptedException e) {
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    // The waiting thread was interrupted: the caller gives up on the stream, so end it (cancelling
    // the call and freeing its connection), keep the interrupt flag, and say so with a typed error.
    close();
    Thread.currentThread().interrupt();
    throw SwitchboardException.of(ErrorKind.CANCELLED, "interrupted while waiting for a stream event; stream closed");
  }

  /** Whether an iterator is blocked waiting for an event (for tests). */
  boolean consumerWaiting() {
    lock.lock();
    try {
      return lock.hasWaiters(notEmpty);
    } finally {
      lock.unlock();
    }
  }

  /** Whether the producer is blocked on a full queue (for tests). */
  boolean producerWaiting() {
    lock.lock();
    try {
      return lock.hasWaiters(notFull);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the calling thread the one delivering to the listener, if there is a listener, nobody
   * is delivering and something is waiting to be delivered; returns the listener then, else null.
   * Caller holds the lock.
   */
  private ChatStreamListener claimDelivery() {
    if (listener == null || draining) return null;
    if (queue.isEmpty() && (terminalDelivered || !response.isDone())) return null;
    draining = true;
    return listener;
  }

  /**
   * Delivers {@code first} (if not null), then whatever is queued, then the terminal callback once
   * the stream is over, all outside the lock; the calling thread holds the delivery role
   * ({@link #draining}) and gives it up, under the lock, once nothing is left. One thread at a
   * time delivers, so the listener sees events in order, never concurrently, and a listener that
   * closes the stream from its own callback gets its {@code onError} after that callback returns.
   */
  private void drain(ChatStreamListener l, ChatEvent first) {
    boolean handedBack = false;
    try {
      if (first != null) deliver(l, first);
      while (true) {
        ChatEvent next;
        lock.lock();
        try {
          next = queue.pollFirst();
          if (next != null) {
            notFull.signal();
          } else if (response.isDone() && !terminalDelivered) {
            terminalDelivered = true;
          } else {
            draining = false;
            handedBack = true;
            return;
          }
        } finally {
          lock.unlock();
        }
        if (next != null) deliver(l, next);
        else terminal(l);
      }
    } finally {
      if (!handedBack) {
        // The listener threw an Error: give up the role so that the terminal callback can still go out.
        lock.lock();
        try {
          draining = false;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  private static void deliver(ChatStreamListener l, ChatEvent e) {
    try {
      l.onEvent(e);
    } catch (RuntimeException ex) {
      log.warn("ChatStreamListener.onEvent threw; the event is dropped for this listener", ex);
    }
  }

  private void terminal(ChatStreamListener l) {
    try {
      if (response.isCompletedExceptionally()) {
        l.onError((SwitchboardException) response.handle((r, t) -> t).join());
      } else {
        l.onComplete(response.join());
      }
    } catch (RuntimeException ex) {
      log.warn("ChatStreamListener terminal callback threw", ex);
    }
  }
}
