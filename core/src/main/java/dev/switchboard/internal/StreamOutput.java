package dev.switchboard.internal;

import dev.switchboard.CallListener;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.PartialOutput;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.spi.ResponseMetadata;
import java.time.Clock;

/**
 * The caller's side of a stream, as the engine sees it: events are assembled (for the final
 * response, or the partial output of a break) and pushed to the consumer on the provider's
 * thread, with back-pressure. It remembers when the last event went out and whether a push is
 * waiting for a slow consumer, so that the idle limit measures the provider, not the caller.
 *
 * <p>What is assembled is bounded by {@code maxBytes} ({@code http.maxStreamBytes}): the event
 * that would take the answer past it is neither kept nor delivered, and the stream ends with
 * {@link #limitError}. Events the consumer has not taken yet are bounded by the queue.
 */
final class StreamOutput {
  private final StreamState state;
  private final StreamAccumulator accumulator = new StreamAccumulator();
  private final Clock clock;
  private final CallListener listener;
  private final long maxBytes;
  /** An event would have taken the answer past maxBytes (guarded by accumulator; volatile for overLimit()). */
  private volatile boolean overLimit;
  /** Per-chunk timing only for a real listener: it is on the per-chunk path. */
  private final boolean chunkTiming;
  private long lastChunkNanos;
  private volatile long lastEventMillis;
  private volatile boolean pushing;

  StreamOutput(StreamState state, Clock clock, CallListener listener, long maxBytes) {
    this.state = state;
    this.clock = clock;
    this.listener = listener;
    this.maxBytes = maxBytes;
    this.chunkTiming = listener != CallListener.NONE;
  }

  /**
   * Hands one event of {@code from}'s stream to the caller; false when the stream is closed or
   * over, or when the event would take the answer past the size limit ({@link #overLimit()}).
   */
  boolean deliver(TargetRef from, ChatEvent event) {
    synchronized (accumulator) {
      if (overLimit) return false;
      long size = StreamAccumulator.bytes(event); // measured once per event: the limit check and the count share it
      if (accumulator.bytes() + size > maxBytes) {
        overLimit = true;
        return false;
      }
      accumulator.accept(event, size);
    }
    pushing = true;
    try {
      return state.push(event);
    } finally {
      lastEventMillis = clock.millis();
      pushing = false;
      if (chunkTiming) {
        long t = System.nanoTime();
        if (lastChunkNanos != 0) listener.streamChunk(from, t - lastChunkNanos);
        lastChunkNanos = t;
      }
    }
  }

  /** Whether the stream was stopped for passing the size limit; such a stream is not restarted elsewhere. */
  boolean overLimit() {
    return overLimit;
  }

  /** The error a stream ends with when it would pass the size limit. */
  SwitchboardException limitError(TargetRef from) {
    return SwitchboardException.builder(ErrorKind.PROTOCOL, "stream answer passed its size limit of "
            + maxBytes + " bytes of text, refusal and tool calls (http.max-stream-bytes in YAML,"
            + " HttpSettings.withMaxStreamBytes in code); stream stopped")
        .provider(from.provider()).target(from.deployment()).build();
  }

  void startedAt(long millis) {
    lastEventMillis = millis;
  }

  long lastEventMillis() {
    return lastEventMillis;
  }

  /** Whether an event is waiting for the consumer to take it. */
  boolean pushing() {
    return pushing;
  }

  PartialOutput partial() {
    synchronized (accumulator) {
      return accumulator.partial();
    }
  }

  ChatResponse response(TargetRef servedBy, ResponseMetadata meta) {
    synchronized (accumulator) {
      return accumulator.response(servedBy, meta);
    }
  }
}
