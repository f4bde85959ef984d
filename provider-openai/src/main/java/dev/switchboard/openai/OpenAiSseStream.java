package dev.switchboard.openai;

import dev.switchboard.ErrorKind;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.HttpSettings;
import dev.switchboard.http.RateLimitHeaders;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.http.StreamExchange;
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
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * One streamed attempt, for any provider that speaks an OpenAI format: waits for the signed
 * request (a provider may fetch a token first), then sends it through core's
 * {@link StreamExchange}, which reads the SSE body on OkHttp's callback thread; this class is the
 * exchange's {@link StreamExchange.Wire}: SSE lines through the wire's {@link SseDecoder}
 * ({@link OpenAiStreamDecoder} for Chat Completions), with an {@link OpenAiDialect} for what the
 * provider changes (error classes, request ids, metadata).
 *
 * <p>The exchange's contract holds: exactly one {@code onComplete} or {@code onError}, unless the
 * stream is cancelled first; nothing after {@link #cancel()}; cancelling before the request is
 * signed sends nothing. No timer here: core owns the first-event limit, the idle limit and the
 * deadline (token fetch included). The HTTP read timeout is only a backstop for a silent socket.
 */
public final class OpenAiSseStream implements StreamHandle {
  private final StreamExchange exchange;

  private OpenAiSseStream(StreamExchange exchange) {
    this.exchange = exchange;
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
    OpenAiSseStream s = new OpenAiSseStream(new StreamExchange(listener, context));
    List<String> encodingWarnings = List.copyOf(warnings);
    request.whenComplete((signed, failure) -> {
      if (failure != null) {
        s.exchange.fail(HttpCalls.failure(failure, context));
      } else {
        s.exchange.send(provider.httpClient().newCall(signed.request()),
            new Sse(codec, wire, encodingWarnings, dialect, context, provider.http(), signed.secrets()));
      }
    });
    return s;
  }

  @Override
  public void cancel() {
    exchange.cancel();
  }

  /** One signed attempt's reading of the answer: rejection, SSE decoding, failures. */
  private static final class Sse implements StreamExchange.Wire {
    private final OpenAiCodec codec;
    private final ChatWire wire;
    private final List<String> warnings;
    private final OpenAiDialect dialect;
    private final ErrorContext context;
    private final HttpSettings http;
    private final List<Secret> secrets;

    Sse(OpenAiCodec codec, ChatWire wire, List<String> warnings, OpenAiDialect dialect, ErrorContext context,
        HttpSettings http, List<Secret> secrets) {
      this.codec = Objects.requireNonNull(codec, "codec == null");
      this.wire = Objects.requireNonNull(wire, "wire == null");
      this.warnings = warnings;
      this.dialect = Objects.requireNonNull(dialect, "dialect == null");
      this.context = context;
      this.http = http;
      this.secrets = secrets;
    }

    @Override
    public SwitchboardException reject(Response response) {
      if (!response.isSuccessful()) {
        byte[] body = Bodies.read(response.body(), http.maxResponseBytes(), context);
        return dialect.httpError(response.code(), response.headers(), body, context, secrets);
      }
      MediaType type = response.body().contentType();
      return type != null && !type.subtype().equalsIgnoreCase("event-stream") ? notAStream(response, type) : null;
    }

    @Override
    public StreamExchange.Reader open(Response response) {
      Headers headers = response.headers();
      return new Frames(headers, wire.streamDecoder(context, secrets, dialect.extraFields()),
          new SseReader(response.body().source(), http.maxStreamLineBytes()));
    }

    /** One SSE event per step through the decoder; the decoder's end (or the body's) finishes the stream. */
    private final class Frames implements StreamExchange.Reader {
      private final Headers headers;
      private final SseDecoder decoder;
      private final SseReader reader;
      private ResponseMetadata metadata;

      Frames(Headers headers, SseDecoder decoder, SseReader reader) {
        this.headers = headers;
        this.decoder = decoder;
        this.reader = reader;
      }

      @Override
      public boolean step(StreamExchange.Sink sink) throws IOException {
        SseEvent event = reader.next();
        if (event != null) {
          decoder.accept(event.event(), event.data(), sink::event);
          if (!decoder.isDone()) return true;
        }
        if (sink.stopped()) return false;
        RateLimitInfo limits = RateLimitHeaders.parse(headers);
        metadata = withDialectMetadata(decoder.finish(sink::event, dialect.requestId(headers), Optional.of(limits)),
            headers);
        return false;
      }

      @Override
      public ResponseMetadata metadata() {
        return metadata;
      }
    }

    @Override
    public SwitchboardException failure(Response response, Exception failure, boolean canceled) {
      if (failure instanceof SwitchboardException e) return dialect.refine(e, response.headers());
      if (failure instanceof IOException e) return HttpCalls.transportError(e, canceled, context);
      return context.error(ErrorKind.PROTOCOL, "stream handling failed (" + failure.getClass().getSimpleName() + ")")
          .cause(failure).build();
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
  }
}
