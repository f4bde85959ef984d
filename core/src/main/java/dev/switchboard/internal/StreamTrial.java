package dev.switchboard.internal;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One streaming attempt, and the provider's listener for it. Events arrive on the provider's
 * thread and go straight to the caller (back-pressure included) once this attempt has won the
 * stream; everything else is posted to the call's serial executor.
 *
 * <p>{@link #phase} is the only state shared with the provider's thread: WAITING until the first
 * event, STREAMING once this attempt has won the stream (a compare-and-set on the call's winner
 * decides between hedges and the deadline), ENDED once it is over for whatever reason.
 */
final class StreamTrial extends Trial implements ProviderStreamListener {
  static final int WAITING = 0;
  static final int STREAMING = 1;
  static final int ENDED = 2;

  private final StreamSender sender;
  final AtomicInteger phase = new AtomicInteger(WAITING);
  /** A restart after a broken stream: its first event is preceded by a Reset. */
  final boolean restart;
  final ErrorKind restartCause;
  volatile long firstEventMillis;
  private volatile StreamHandle handle;
  private volatile boolean cancelled;

  StreamTrial(StreamSender sender, AliasTarget t, boolean restart, ErrorKind restartCause) {
    super(t);
    this.sender = sender;
    this.restart = restart;
    this.restartCause = restartCause;
  }

  void handle(StreamHandle h) {
    handle = h;
    if (cancelled) h.cancel();
  }

  /** Cancels the provider's stream (idempotent, any thread). */
  void cancelStream() {
    cancelled = true;
    StreamHandle h = handle;
    if (h != null) {
      try {
        h.cancel();
      } catch (RuntimeException e) {
        // The provider broke its contract; the attempt is abandoned either way.
      }
    }
  }

  @Override
  public void onEvent(ChatEvent event) {
    int p = phase.get();
    if (p == ENDED) return;
    if (p == WAITING && !win()) return;
    if (!sender.output.deliver(t.ref, event)) {
      cancelStream();
      if (sender.output.overLimit() && phase.compareAndSet(STREAMING, ENDED)) {
        SwitchboardException e = sender.output.limitError(t.ref);
        sender.driver.post(() -> sender.failed(this, e));
      }
    }
  }

  /** Claims the stream on the first event; false if another attempt or the deadline got it first. */
  private boolean win() {
    if (!phase.compareAndSet(WAITING, STREAMING)) return phase.get() == STREAMING;
    if (!sender.claim(this)) {
      phase.set(ENDED);
      cancelStream();
      return false;
    }
    firstEventMillis = sender.driver.now();
    sender.driver.post(() -> sender.committed(this));
    if (restart) sender.output.deliver(t.ref, new ChatEvent.Reset(t.ref, restartCause));
    return true;
  }

  @Override
  public void onComplete(ResponseMetadata metadata) {
    int p = phase.get();
    if (p == ENDED) return;
    if (p == WAITING && !win()) return; // an answer without events still wins
    sender.driver.post(() -> sender.completed(this, metadata == null ? ResponseMetadata.EMPTY : metadata));
  }

  @Override
  public void onError(SwitchboardException error) {
    if (phase.get() == ENDED) return;
    SwitchboardException e = error != null ? error
        : SwitchboardException.builder(ErrorKind.PROTOCOL, "provider ended the stream with a null error")
            .provider(t.ref.provider()).target(t.ref.deployment()).build();
    sender.driver.handOff(() -> sender.failed(this, e)); // it may restart or fail over: not on the provider's thread
  }
}
