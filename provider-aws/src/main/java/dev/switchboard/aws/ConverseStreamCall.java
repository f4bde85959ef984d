package dev.switchboard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.Bodies;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderStreamListener;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.List;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;
import software.amazon.awssdk.eventstream.Message;

/**
 * One ConverseStream attempt. The response is read and decoded on the OkHttp thread that
 * received it, frame by frame, and each event is handed to the listener as soon as its frame is
 * complete. No timer here: core owns the first-event limit, the idle limit and the deadline, and
 * cancels the stream when one passes; the client's read timeout is only a backstop for a silent
 * socket.
 *
 * <p>Exactly one of {@code onComplete}/{@code onError} is delivered, and nothing after
 * {@link #cancel()}: a lock-guarded {@code done} flag decides which side ends the stream, and
 * listener methods are called outside the lock, so a slow listener (back-pressure) never blocks
 * a cancelling thread.
 */
final class ConverseStreamCall implements Callback {
  private final Call call;
  private final ProviderStreamListener listener;
  private final ProviderContext context;
  private final ErrorContext errors;
  private final ObjectMapper mapper;
  private final List<Secret> secrets;
  private final TargetRef target;
  private final Optional<String> outputTool;
  private final List<String> warnings;
  private final Object lock = new Object();
  private boolean done; // guarded by lock: the stream was ended (or cancelled)

  ConverseStreamCall(Call call, ProviderStreamListener listener, ProviderContext context, ErrorContext errors,
      List<Secret> secrets, TargetRef target, Optional<String> outputTool, List<String> warnings) {
    this.call = call;
    this.listener = listener;
    this.context = context;
    this.errors = errors;
    this.mapper = context.objectMapper();
    this.secrets = secrets;
    this.target = target;
    this.outputTool = outputTool;
    this.warnings = warnings;
  }

  void start() {
    call.enqueue(this);
  }

  /** Cancels the HTTP call; idempotent, from any thread; no listener method is called afterwards. */
  void cancel() {
    synchronized (lock) {
      done = true;
    }
    call.cancel();
  }

  @Override
  public void onFailure(Call c, IOException e) {
    // A credential failure in the authenticator is a TypedIOException: transportError hands back its AUTHENTICATION error.
    fail(HttpCalls.transportError(e, c.isCanceled(), errors));
  }

  @Override
  public void onResponse(Call c, Response response) {
    try (response) {
      String requestId = response.header("x-amzn-RequestId");
      String contentType = response.header("Content-Type", "");
      if (!response.isSuccessful() || !contentType.startsWith(BedrockProvider.EVENT_STREAM)) {
        byte[] body = Bodies.read(response.body(), context.http().maxResponseBytes(), errors);
        SwitchboardException error = BedrockErrors.fromResponse(response.code(), response.headers(), body, mapper,
            errors, secrets, context.clock());
        if (response.isSuccessful() && error.kind() == ErrorKind.PROTOCOL) {
          error = errors.error(ErrorKind.PROTOCOL, "expected " + BedrockProvider.EVENT_STREAM + " but got '" + contentType
              + "': " + error.detail()).httpStatus(response.code()).requestId(requestId).build();
        }
        fail(error);
        return;
      }
      read(response, requestId);
    } catch (SwitchboardException e) {
      fail(e);
    }
  }

  private void read(Response response, String requestId) {
    ConverseStreamMapper events = new ConverseStreamMapper(mapper, errors, outputTool, secrets, requestId);
    EventStreamReader reader = new EventStreamReader(response.body().source(), context.http().maxStreamLineBytes());
    try {
      Message frame;
      while ((frame = reader.next()) != null) {
        events.accept(frame, this::deliver);
        if (isDone()) return;
      }
      if (!events.finished()) {
        fail(protocol("truncated stream: the event stream ended before messageStop", requestId, null));
      } else {
        complete(events.metadata(target.model(), warnings));
      }
    } catch (Cancelled ignored) {
      // cancel() ended the stream while we were reading
    } catch (EOFException e) {
      fail(protocol("truncated stream: " + e.getMessage(), requestId, e));
    } catch (ProtocolException e) {
      fail(protocol(e.getMessage(), requestId, e));
    } catch (IOException e) {
      fail(HttpCalls.transportError(e, call.isCanceled(), errors).toBuilder().requestId(requestId).build());
    } catch (SwitchboardException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(protocol("could not decode the event stream: " + e.getClass().getSimpleName(), requestId, e));
    }
  }

  private SwitchboardException protocol(String message, String requestId, Throwable cause) {
    return errors.error(ErrorKind.PROTOCOL, message).requestId(requestId).cause(cause).build();
  }

  private void deliver(ChatEvent event) {
    synchronized (lock) {
      if (done) throw new Cancelled();
    }
    listener.onEvent(event);
  }

  private boolean isDone() {
    synchronized (lock) {
      return done;
    }
  }

  private void complete(dev.switchboard.spi.ResponseMetadata metadata) {
    synchronized (lock) {
      if (done) return;
      done = true;
    }
    listener.onComplete(metadata);
  }

  private void fail(SwitchboardException error) {
    synchronized (lock) {
      if (done) return;
      done = true;
    }
    listener.onError(error);
  }

  /** Unwinds the read loop once the stream was ended elsewhere. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }
}
