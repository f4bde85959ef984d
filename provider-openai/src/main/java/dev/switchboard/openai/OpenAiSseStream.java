package dev.switchboard.openai;

import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.HttpSettings;
import dev.switchboard.http.RateLimitHeaders;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import dev.switchboard.spi.StreamHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * One streamed attempt, for any provider that speaks an OpenAI format: waits for the signed
 * request (a provider may fetch a token first), enqueues the call, reads the SSE body on OkHttp's
 * callback thread through the wire's {@link SseDecoder} ({@link OpenAiStreamDecoder} for Chat
 * Completions) and drives the listener, with an {@link OpenAiDialect} for what the provider changes.
 *
 * <p>Threading: once the call exists, only OkHttp's callback thread calls the listener, so calls
 * never overlap. {@link #cancel()} only sets a flag and cancels the call; it never calls the
 * listener, so a consumer blocked in {@code onEvent} can cancel without deadlock. Cancelling
 * before the request is signed sends nothing. The listener hears exactly one {@code onComplete}
 * or {@code onError}, unless the stream is cancelled first; after {@link #cancel()} it hears
 * nothing more.
 *
 * <p>No timer here: core owns the first-event limit, the idle limit and the deadline, and
 * cancels the stream when one passes (token fetch included). The HTTP read timeout is only a
 * backstop for a silent socket; the call's own timeout stays off, or it would cut long answers.
 */
public final class OpenAiSseStream implements StreamHandle {
  private final ProviderStreamListener listener;
  private final OpenAiCodec codec;
  private final ChatWire wire;
  private final List<String> warnings;
  private final OpenAiDialect dialect;
  private final ErrorContext context;
  private final HttpSettings http;

  /** Set once a terminal call was made or the caller cancelled: nothing reaches the listener after. */
  private final AtomicBoolean terminal = new AtomicBoolean();
  private volatile Call call;
  /** Written before the call is enqueued, read on the callback thread. */
  private List<Secret> secrets = List.of();

  private OpenAiSseStream(ProviderStreamListener listener, OpenAiCodec codec, ChatWire wire, List<String> warnings,
      OpenAiDialect dialect, ErrorContext context, HttpSettings http) {
    this.listener = Objects.requireNonNull(listener, "listener == null");
    this.codec = Objects.requireNonNull(codec, "codec == null");
    this.wire = Objects.requireNonNull(wire, "wire == null");
    this.warnings = List.copyOf(warnings);
    this.dialect = Objects.requireNonNull(dialect, "dialect == null");
    this.context = Objects.requireNonNull(context, "context == null");
    this.http = http;
  }

  /**
   * Starts a stream: sends {@code request} once it completes (with {@code provider}'s client;
   * should it fail, the stream ends with that failure as a {@link SwitchboardException}) and
   * returns the handle that cancels it. {@code dialect} serves this stream only.
   */
  public static OpenAiSseStream start(ProviderContext provider, OpenAiCodec codec, OpenAiDialect dialect,
      ErrorContext context, CompletableFuture<SignedRequest> request, ProviderStreamListener listener) {
    return start(provider, codec, codec, List.of(), dialect, context, request, listener);
  }

  /**
   * As above, with the events decoded by {@code wire}'s {@link SseDecoder} and {@code warnings}
   * (from encoding the request) added to the stream's metadata; {@code codec} reads error bodies.
   */
  public static OpenAiSseStream start(ProviderContext provider, OpenAiCodec codec, ChatWire wire, List<String> warnings,
      OpenAiDialect dialect, ErrorContext context, CompletableFuture<SignedRequest> request,
      ProviderStreamListener listener) {
    OpenAiSseStream s = new OpenAiSseStream(listener, codec, wire, warnings, dialect, context, provider.http());
    request.whenComplete((signed, failure) -> {
      if (failure != null) s.fail(HttpCalls.failure(failure, context));
      else s.send(provider.httpClient().newCall(signed.request()), signed.secrets());
    });
    return s;
  }

  private void send(Call c, List<Secret> signedWith) {
    if (terminal.get()) return;
    secrets = signedWith;
    call = c;
    // Read after publishing the call: either this thread sees the flag, or cancel() sees the call.
    if (terminal.get()) {
      c.cancel();
      return;
    }
    c.enqueue(new Callback() {
      @Override
      public void onFailure(Call failed, IOException e) {
        fail(HttpCalls.transportError(e, failed.isCanceled(), context));
      }

      @Override
      public void onResponse(Call answered, Response response) {
        read(answered, response);
      }
    });
  }

  @Override
  public void cancel() {
    terminal.set(true);
    Call c = call;
    if (c != null) c.cancel();
  }

  private void read(Call c, Response response) {
    Headers headers = response.headers();
    try (response) {
      if (terminal.get()) return;
      if (!response.isSuccessful()) {
        byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
        fail(dialect.httpError(response.code(), headers, body, context, secrets));
        return;
      }
      MediaType type = response.body().contentType();
      if (type != null && !type.subtype().equalsIgnoreCase("event-stream")) {
        fail(notAStream(response, type));
        return;
      }
      SseDecoder decoder = wire.streamDecoder(context, secrets, dialect.extraFields());
      RateLimitInfo limits = RateLimitHeaders.parse(headers);
      SseReader reader = new SseReader(response.body().source(), http.maxStreamLineBytes());
      SseEvent event;
      while (!terminal.get() && (event = reader.next()) != null) {
        decoder.accept(event.event(), event.data(), this::emit);
        if (decoder.isDone()) break;
      }
      if (terminal.get()) return;
      ResponseMetadata metadata = withDialectMetadata(
          decoder.finish(this::emit, dialect.requestId(headers), Optional.of(limits)), headers);
      if (terminal.compareAndSet(false, true)) {
        listener.onComplete(metadata);
      }
    } catch (SwitchboardException e) {
      fail(dialect.refine(e, headers));
    } catch (IOException e) {
      fail(HttpCalls.transportError(e, c.isCanceled(), context));
    } catch (RuntimeException e) {
      fail(context.error(ErrorKind.PROTOCOL, "stream handling failed (" + e.getClass().getSimpleName() + ")").cause(e).build());
    }
  }

  private void emit(ChatEvent event) {
    if (terminal.get()) return;
    listener.onEvent(event);
  }

  private ResponseMetadata withDialectMetadata(ResponseMetadata m, Headers headers) {
    Map<String, Object> extra = dialect.metadata(headers);
    if (extra.isEmpty() && warnings.isEmpty()) return m;
    Map<String, Object> metadata = new LinkedHashMap<>(m.metadata());
    metadata.putAll(extra);
    List<String> allWarnings = new ArrayList<>(m.warnings());
    allWarnings.addAll(warnings);
    return new ResponseMetadata(m.model(), m.id(), m.requestId(), m.rateLimit(), metadata, allWarnings, m.rawFinishReason(),
        m.serviceTier());
  }

  private SwitchboardException notAStream(Response response, MediaType type) {
    byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
    Optional<OpenAiError> error = codec.parseError(body);
    if (error.isPresent()) {
      // An error object with a 2xx status: classify it as if it came inside the stream.
      return dialect.refine(codec.httpErrorBuilder(OpenAiCodec.errorKind(0, error), response.code(), response.headers(),
          body, error, context, secrets).build(), response.headers());
    }
    return context.error(ErrorKind.PROTOCOL, "expected text/event-stream but the response is " + type.type() + "/"
        + type.subtype()).httpStatus(response.code()).build();
  }

  private void fail(SwitchboardException error) {
    if (terminal.compareAndSet(false, true)) {
      listener.onError(error);
    }
  }
}
