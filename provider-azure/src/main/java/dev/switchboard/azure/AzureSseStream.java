package dev.switchboard.azure;

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
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.OpenAiError;
import dev.switchboard.openai.OpenAiStreamDecoder;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * One streaming attempt: waits for the signed request (a token may be fetched first), enqueues
 * the call, reads the SSE body on OkHttp's callback thread through the OpenAI stream decoder
 * (with {@link AzureFilters} collecting the filter fields) and drives the listener. Only one
 * thread at a time calls the listener; the first-event timer and {@link #cancel()} set flags and
 * cancel the call, and call the listener only before a call exists (when no event can be in
 * flight), so a consumer blocked in {@code onEvent} can cancel without deadlock.
 */
final class AzureSseStream implements Callback, StreamHandle {
  private final ProviderStreamListener listener;
  private final OpenAiCodec codec;
  private final AzureErrors errors;
  private final ErrorContext context;
  private final HttpSettings http;
  private final Scheduler scheduler;
  private final AzureFilters filters = new AzureFilters();

  /** Set once a terminal call was made or the caller cancelled: nothing reaches the listener after. */
  private final AtomicBoolean terminal = new AtomicBoolean();
  /** Claimed by the first event or by the first-event timer, whichever comes first. */
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean timedOut;
  private volatile Call call;
  private volatile Scheduler.Cancellable timer = () -> { };
  private List<Secret> secrets = List.of();
  private Duration timeout = Duration.ZERO;
  private boolean firstDelivered;

  AzureSseStream(ProviderStreamListener listener, OpenAiCodec codec, AzureErrors errors, ErrorContext context,
      HttpSettings http, Scheduler scheduler) {
    this.listener = listener;
    this.codec = codec;
    this.errors = errors;
    this.context = context;
    this.http = http;
    this.scheduler = scheduler;
  }

  void start(Duration timeout, CompletableFuture<AzureAuth.Signed> signing, OkHttpClient client) {
    this.timeout = timeout;
    timer = scheduler.schedule(timeout, this::firstEventTimedOut);
    signing.whenComplete((signed, failure) -> {
      if (failure != null) {
        fail(AzureOpenAiProvider.asSwitchboard(failure, context));
        return;
      }
      if (terminal.get()) return;
      secrets = signed.secrets();
      Call c = client.newCall(signed.request());
      // The call's own timeout stays off: the timer bounds the wait for the first event and the
      // read timeout each gap after it; a whole-call timeout would cut long answers.
      call = c;
      if (timedOut) {
        c.cancel();
        fail(timeoutError(null));
        return;
      }
      if (terminal.get()) {
        c.cancel();
        return;
      }
      c.enqueue(this);
    });
  }

  @Override
  public void cancel() {
    terminal.set(true);
    timer.cancel();
    Call c = call;
    if (c != null) c.cancel();
  }

  private void firstEventTimedOut() {
    if (terminal.get() || !started.compareAndSet(false, true)) return;
    timedOut = true;
    Call c = call;
    if (c != null) {
      c.cancel();
    } else {
      // Still waiting for a token: no event can be in flight, so failing here cannot deadlock.
      fail(timeoutError(null));
    }
  }

  @Override
  public void onFailure(Call c, IOException e) {
    fail(timedOut ? timeoutError(e) : HttpCalls.transportError(e, c.isCanceled(), context));
  }

  @Override
  public void onResponse(Call c, Response response) {
    AzureResponseInfo info = AzureResponseInfo.from(response.headers());
    try (response) {
      if (terminal.get()) return;
      if (!response.isSuccessful()) {
        byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
        fail(errors.http(response.code(), response.headers(), body, context, secrets));
        return;
      }
      MediaType type = response.body().contentType();
      if (type != null && !type.subtype().equalsIgnoreCase("event-stream")) {
        fail(notAStream(response, type, info));
        return;
      }
      OpenAiStreamDecoder decoder = codec.streamDecoder(context, secrets, filters);
      RateLimitInfo limits = RateLimitHeaders.parse(response.headers());
      SseReader reader = new SseReader(response.body().source(), http.maxStreamLineBytes());
      SseEvent event;
      while (!terminal.get() && (event = reader.next()) != null) {
        decoder.accept(event.event(), event.data(), this::emit);
        if (decoder.isDone()) break;
      }
      if (terminal.get()) return;
      ResponseMetadata m = decoder.finish(this::emit, info.bestRequestId(), Optional.of(limits));
      Map<String, Object> metadata = new LinkedHashMap<>(m.metadata());
      metadata.putAll(filters.metadata());
      if (!info.isEmpty()) metadata.put(AzureMetadata.RESPONSE_INFO, info);
      ResponseMetadata done = new ResponseMetadata(m.model(), m.id(), m.requestId(), m.rateLimit(), metadata, m.warnings());
      if (terminal.compareAndSet(false, true)) {
        timer.cancel();
        listener.onComplete(done);
      }
    } catch (SwitchboardException e) {
      fail(timedOut ? timeoutError(e) : AzureErrors.wrap(e, info));
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

  private SwitchboardException notAStream(Response response, MediaType type, AzureResponseInfo info) {
    byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
    Optional<OpenAiError> error = codec.parseError(body);
    if (error.isPresent()) {
      // An error object with a 2xx status: classify it as if it came inside the stream.
      return AzureErrors.wrap(codec.httpErrorBuilder(OpenAiCodec.errorKind(0, error), response.code(), response.headers(),
          body, error, context, secrets).build(), info);
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
