package dev.switchboard.openai;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Scheduler;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.HttpSettings;
import dev.switchboard.http.RateLimitHeaders;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * One streaming attempt: enqueues the call, reads the SSE body on OkHttp's callback thread and
 * drives the listener. Only that thread calls the listener, so calls never overlap; the
 * first-event timer and {@link #cancel()} only set flags and cancel the call, never call the
 * listener themselves (a consumer blocked in {@code onEvent} can therefore cancel without
 * deadlock).
 */
final class SseStream implements Callback, StreamHandle {
  private final Call call;
  private final ProviderStreamListener listener;
  private final OpenAiCodec codec;
  private final OpenAiStreamDecoder decoder;
  private final ErrorContext context;
  private final List<Secret> secrets;
  private final HttpSettings http;

  /** Set once a terminal call was made or the caller cancelled: nothing reaches the listener after. */
  private final AtomicBoolean terminal = new AtomicBoolean();
  /** Claimed by the first event or by the first-event timer, whichever comes first. */
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean timedOut;
  private volatile Scheduler.Cancellable timer = () -> { };
  private Duration timeout = Duration.ZERO;
  private boolean firstDelivered;

  SseStream(Call call, ProviderStreamListener listener, OpenAiCodec codec, OpenAiStreamDecoder decoder,
      ErrorContext context, List<Secret> secrets, HttpSettings http) {
    this.call = call;
    this.listener = listener;
    this.codec = codec;
    this.decoder = decoder;
    this.context = context;
    this.secrets = secrets;
    this.http = http;
  }

  void start(Duration timeout, Scheduler scheduler) {
    this.timeout = timeout;
    timer = scheduler.schedule(timeout, this::firstEventTimedOut);
    call.enqueue(this);
  }

  @Override
  public void cancel() {
    terminal.set(true);
    timer.cancel();
    call.cancel();
  }

  private void firstEventTimedOut() {
    if (terminal.get() || !started.compareAndSet(false, true)) return;
    timedOut = true;
    call.cancel();
  }

  @Override
  public void onFailure(Call c, IOException e) {
    fail(timedOut ? timeoutError(e) : HttpCalls.transportError(e, c.isCanceled(), context));
  }

  @Override
  public void onResponse(Call c, Response response) {
    try (response) {
      if (terminal.get()) return;
      if (!response.isSuccessful()) {
        byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
        fail(codec.httpError(response.code(), response.headers(), body, context, secrets));
        return;
      }
      MediaType type = response.body().contentType();
      if (type != null && !type.subtype().equalsIgnoreCase("event-stream")) {
        fail(notAStream(response, type));
        return;
      }
      Optional<String> requestId = Optional.ofNullable(response.header("x-request-id"));
      RateLimitInfo limits = RateLimitHeaders.parse(response.headers());
      SseReader reader = new SseReader(response.body().source(), http.maxStreamLineBytes());
      SseEvent event;
      while (!terminal.get() && (event = reader.next()) != null) {
        decoder.accept(event.event(), event.data(), this::emit);
        if (decoder.isDone()) break;
      }
      if (terminal.get()) return;
      ResponseMetadata metadata = decoder.finish(this::emit, requestId, Optional.of(limits));
      if (terminal.compareAndSet(false, true)) {
        timer.cancel();
        listener.onComplete(metadata);
      }
    } catch (SwitchboardException e) {
      fail(timedOut ? timeoutError(e) : e);
    } catch (IOException e) {
      fail(timedOut ? timeoutError(e) : HttpCalls.transportError(e, c.isCanceled(), context));
    } catch (RuntimeException e) {
      fail(context.error(ErrorKind.PROTOCOL, "stream handling failed (" + e.getClass().getSimpleName() + ")").cause(e).build());
    }
  }

  private void emit(ChatEvent event) {
    if (terminal.get()) return;
    if (!firstDelivered) {
      // The timer may have claimed the stream a moment ago; then it is cancelling the call.
      if (!started.compareAndSet(false, true)) return;
      firstDelivered = true;
      timer.cancel();
    }
    listener.onEvent(event);
  }

  private SwitchboardException notAStream(Response response, MediaType type) {
    byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
    Optional<OpenAiError> error = codec.parseError(body);
    if (error.isPresent()) {
      // An error object with a 2xx status: classify it as if it came inside the stream.
      return codec.httpErrorBuilder(OpenAiCodec.errorKind(0, error), response.code(), response.headers(), body, error,
          context, secrets).build();
    }
    return context.error(ErrorKind.PROTOCOL, "expected text/event-stream but the response is " + type.type() + "/"
        + type.subtype()).httpStatus(response.code()).build();
  }

  private SwitchboardException timeoutError(Exception cause) {
    return context.error(ErrorKind.TIMEOUT, "no stream event within " + timeout.toMillis() + " ms").cause(cause).build();
  }

  private void fail(SwitchboardException error) {
    if (terminal.compareAndSet(false, true)) {
      timer.cancel();
      listener.onError(error);
    }
  }
}
