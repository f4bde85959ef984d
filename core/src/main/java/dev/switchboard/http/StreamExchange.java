package dev.switchboard.http;

import dev.switchboard.ChatEvent;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * One streamed HTTP exchange, the skeleton every provider's stream shares: enqueue the call, tell
 * an answer that is not a stream (an error status, the wrong content type) from one that is, read
 * the body on OkHttp's callback thread through the provider's {@link Wire} (its frame reader and
 * decoder, stepped one frame at a time), and end the listener with <b>exactly one</b> {@code onComplete} or {@code onError} —
 * or nothing at all once {@link #cancel()} was called.
 *
 * <p>Threading: only OkHttp's callback thread calls the listener, so calls never overlap.
 * {@link #cancel()} sets the terminal flag and cancels the call; it never calls the listener, so a
 * consumer blocked in {@code onEvent} can cancel without deadlock, and an event the reader
 * produces after it is dropped (the read unwinds). No timer here: core owns the first-event
 * limit, the idle limit and the deadline, and cancels the stream when one passes.
 */
public final class StreamExchange implements StreamHandle {
  /** What a provider's stream format adds to the skeleton. Called on the callback thread only. */
  public interface Wire {
    /**
     * The error of an answer that cannot be read as this stream (an error status, the wrong content
     * type), or null to read it. May read the body; a {@link SwitchboardException} thrown here
     * goes through {@link #failure}.
     */
    SwitchboardException reject(Response response);

    /**
     * Starts reading the accepted body: the {@link Reader} the exchange then steps through it one
     * frame at a time. A {@link SwitchboardException} or {@link IOException} thrown here goes
     * through {@link #failure}.
     */
    Reader open(Response response) throws IOException;

    /**
     * The error for {@code failure}, thrown while rejecting or reading {@code response}:
     * a {@link SwitchboardException}, an {@link IOException} ({@code canceled} when the call was
     * cancelled) or a {@link RuntimeException} of the decoder or the listener.
     */
    SwitchboardException failure(Response response, Exception failure, boolean canceled);
  }

  /**
   * One accepted body, read one frame at a time: the exchange calls {@link #step} until it returns
   * false (or the stream is ended elsewhere), always from one thread at a time.
   */
  public interface Reader {
    /**
     * Reads the next frame, handing its events (none, one or more) to {@code sink}; false once the
     * stream is over, its end then in {@link #metadata()}. A malformed or truncated stream is a
     * thrown exception.
     */
    boolean step(Sink sink) throws IOException;

    /** The finished stream's metadata, once {@link #step} returned false. */
    ResponseMetadata metadata();
  }

  /** Where a {@link Wire} hands its events. */
  public interface Sink {
    /** Delivers {@code event} to the listener; unwinds the read if the stream was ended meanwhile. */
    void event(ChatEvent event);

    /** True once the stream was cancelled or ended: read no further. */
    boolean stopped();
  }

  private final ProviderStreamListener listener;
  private final ErrorContext context;
  /** Set once a terminal call was made or the caller cancelled: nothing reaches the listener after. */
  private final AtomicBoolean terminal = new AtomicBoolean();
  private final Sink sink = new Sink() {
    @Override
    public void event(ChatEvent event) {
      if (terminal.get()) throw Stopped.INSTANCE;
      listener.onEvent(event);
    }

    @Override
    public boolean stopped() {
      return terminal.get();
    }
  };
  private volatile Call call;

  public StreamExchange(ProviderStreamListener listener, ErrorContext context) {
    this.listener = Objects.requireNonNull(listener, "listener == null");
    this.context = Objects.requireNonNull(context, "context == null");
  }

  /** Enqueues {@code c}, its answer read with {@code wire}; sends nothing if the stream already ended. */
  public void send(Call c, Wire wire) {
    Objects.requireNonNull(wire, "wire == null");
    if (terminal.get()) return;
    call = c;
    // Read after publishing the call: either this thread sees the flag, or cancel() sees the call.
    if (terminal.get()) {
      c.cancel();
      return;
    }
    c.enqueue(new Callback() {
      @Override
      public void onFailure(Call failed, IOException e) {
        // A credential failure in an interceptor is a TypedIOException: transportError hands back its typed error.
        fail(HttpCalls.transportError(e, failed.isCanceled(), context));
      }

      @Override
      public void onResponse(Call answered, Response response) {
        read(answered, response, wire);
      }
    });
  }

  @Override
  public void cancel() {
    terminal.set(true);
    Call c = call;
    if (c != null) c.cancel();
  }

  /** Ends the stream with {@code error} unless it already ended (e.g. the request could not be signed). */
  public void fail(SwitchboardException error) {
    if (terminal.compareAndSet(false, true)) listener.onError(error);
  }

  private void read(Call c, Response response, Wire wire) {
    try (response) {
      if (terminal.get()) return;
      SwitchboardException rejected = wire.reject(response);
      if (rejected != null) {
        fail(rejected);
        return;
      }
      Reader reader = wire.open(response);
      while (reader.step(sink)) {
        if (terminal.get()) return;
      }
      if (terminal.compareAndSet(false, true)) {
        listener.onComplete(Objects.requireNonNull(reader.metadata(), "metadata == null"));
      }
    } catch (Stopped stopped) {
      // cancel() (or a terminal callback) ended the stream while it was read
    } catch (IOException | RuntimeException e) {
      if (!terminal.get()) fail(wire.failure(response, e, c.isCanceled()));
    }
  }

  /** Unwinds a read once the stream was ended elsewhere. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Stopped INSTANCE = new Stopped();

    private Stopped() {
      super(null, null, false, false);
    }
  }
}
