package dev.switchboard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.http.StreamExchange;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import software.amazon.awssdk.eventstream.Message;

/**
 * One ConverseStream attempt: once its request is signed, core's {@link StreamExchange} sends it and reads the answer on the
 * OkHttp thread that received it; this class is the exchange's {@link StreamExchange.Wire}: the
 * AWS event-stream frames, one per step, decoded by {@link ConverseStreamMapper}, each event
 * handed on as soon as its frame is complete. The exchange guarantees exactly one {@code onComplete}/{@code onError}
 * and nothing after {@link #cancel()}. No timer here: core owns the first-event limit, the idle
 * limit and the deadline, and cancels the stream when one passes; the client's read timeout is
 * only a backstop for a silent socket.
 */
final class ConverseStreamCall implements StreamExchange.Wire {
  private final StreamExchange exchange;
  private final ProviderContext context;
  private final ErrorContext errors;
  private final ObjectMapper mapper;
  private final List<Secret> secrets;
  private final TargetRef target;
  private final Optional<String> outputTool;
  private final List<String> warnings;

  ConverseStreamCall(ProviderStreamListener listener, ProviderContext context, ErrorContext errors,
      List<Secret> secrets, TargetRef target, Optional<String> outputTool, List<String> warnings) {
    this.exchange = new StreamExchange(listener, errors);
    this.context = context;
    this.errors = errors;
    this.mapper = context.objectMapper();
    this.secrets = secrets;
    this.target = target;
    this.outputTool = outputTool;
    this.warnings = warnings;
  }

  /**
   * Sends the request once {@code signing} yields it, with {@code client}; should signing fail,
   * the stream ends with that failure as a typed error and nothing is sent. Cancelling before
   * then sends nothing.
   */
  void start(OkHttpClient client, CompletableFuture<SignedRequest> signing) {
    signing.whenComplete((signed, failure) -> {
      if (failure != null) {
        exchange.fail(HttpCalls.failure(failure, errors));
        return;
      }
      Call call;
      try {
        call = client.newCall(signed.request());
      } catch (RuntimeException e) {
        exchange.fail(HttpCalls.failure(e, errors));
        return;
      }
      exchange.send(call, this);
    });
  }

  /** Cancels the HTTP call; idempotent, from any thread; no listener method is called afterwards. */
  void cancel() {
    exchange.cancel();
  }

  @Override
  public SwitchboardException reject(Response response) {
    String contentType = response.header("Content-Type", "");
    if (response.isSuccessful() && contentType.startsWith(BedrockProvider.EVENT_STREAM)) return null;
    byte[] body = Bodies.read(response.body(), context.http().maxResponseBytes(), errors);
    SwitchboardException error = BedrockErrors.fromResponse(response.code(), response.headers(), body, mapper,
        errors, secrets, context.clock());
    if (response.isSuccessful() && error.kind() == ErrorKind.PROTOCOL) {
      error = errors.error(ErrorKind.PROTOCOL, "expected " + BedrockProvider.EVENT_STREAM + " but got '" + contentType
          + "': " + error.detail()).httpStatus(response.code()).requestId(requestId(response)).build();
    }
    return error;
  }

  @Override
  public StreamExchange.Reader open(Response response) {
    String requestId = requestId(response);
    ConverseStreamMapper events = new ConverseStreamMapper(mapper, errors, outputTool, secrets, requestId);
    EventStreamReader reader = new EventStreamReader(response.body().source(), context.http().maxStreamLineBytes());
    return new StreamExchange.Reader() {
      private ResponseMetadata metadata;

      @Override
      public boolean step(StreamExchange.Sink sink) throws IOException {
        Message frame = reader.next();
        if (frame != null) {
          events.accept(frame, sink::event);
          return !sink.stopped();
        }
        if (!events.finished()) throw protocol("truncated stream: the event stream ended before messageStop", requestId, null);
        metadata = events.metadata(target.model(), warnings);
        return false;
      }

      @Override
      public ResponseMetadata metadata() {
        return metadata;
      }
    };
  }

  @Override
  public SwitchboardException failure(Response response, Exception failure, boolean canceled) {
    String requestId = requestId(response);
    if (failure instanceof SwitchboardException e) return e;
    if (failure instanceof EOFException e) return protocol("truncated stream: " + e.getMessage(), requestId, e);
    if (failure instanceof ProtocolException e) return protocol(e.getMessage(), requestId, e);
    if (failure instanceof IOException e) {
      return HttpCalls.transportError(e, canceled, errors).toBuilder().requestId(requestId).build();
    }
    return protocol("could not decode the event stream: " + failure.getClass().getSimpleName(), requestId, failure);
  }

  private static String requestId(Response response) {
    return response.header("x-amzn-RequestId");
  }

  private SwitchboardException protocol(String message, String requestId, Throwable cause) {
    return errors.error(ErrorKind.PROTOCOL, message).requestId(requestId).cause(cause).build();
  }
}
