package dev.switchboard.http;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Runs OkHttp calls off the caller's thread unless it waits for them, and classifies transport failures. */
public final class HttpCalls {
  private HttpCalls() {}

  /**
   * Enqueues {@code request} (or leaves it to a blocking caller, see {@link CallerRuns}). The
   * future completes with the response (the caller must close it) or with a
   * {@link SwitchboardException} of kind NETWORK, TIMEOUT or CANCELLED. Cancelling the future
   * cancels the HTTP call: that is how the engine's deadline ends it. No OkHttp whole-call timeout
   * is set (one owner per deadline, and no extra entry in Okio's timeout queue per call); the
   * client's read and write timeouts are a backstop for a silent socket.
   */
  public static CompletableFuture<Response> execute(OkHttpClient client, Request request, ErrorContext context) {
    return execute(client.newCall(request), context);
  }

  /**
   * {@link #execute(OkHttpClient, Request, ErrorContext)} for a call the caller made
   * and keeps: cancelling the future cancels the call only until the response arrives, so a
   * caller that reads the body after that and must stop on cancellation cancels {@code call}
   * itself.
   */
  public static CompletableFuture<Response> execute(Call call, ErrorContext context) {
    CompletableFuture<Response> future = new CompletableFuture<>();
    future.whenComplete((r, e) -> {
      if (e instanceof CancellationException) call.cancel();
    });
    Callback callback = new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        if (!future.complete(response)) response.close();
      }

      @Override
      public void onFailure(Call c, IOException e) {
        future.completeExceptionally(transportError(e, c.isCanceled(), context));
      }
    };
    if (!CallerRuns.defer(call, callback)) call.enqueue(callback);
    return future;
  }

  /**
   * What a future failed with, its {@link java.util.concurrent.CompletionException} and
   * {@link java.util.concurrent.ExecutionException} wrappers removed.
   */
  public static Throwable cause(Throwable t) {
    Throwable c = Objects.requireNonNull(t, "t == null");
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * A failed future's cause as the typed error one attempt ends with: a
   * {@link SwitchboardException} as it is (stamped with {@code context} if it names no provider),
   * a cancellation as CANCELLED, anything else as NETWORK with the cause kept.
   */
  public static SwitchboardException failure(Throwable t, ErrorContext context) {
    Throwable cause = cause(t);
    if (cause instanceof SwitchboardException se) {
      return se.provider().isPresent() ? se : context.apply(se.toBuilder()).build();
    }
    if (cause instanceof CancellationException) return context.error(ErrorKind.CANCELLED, "call cancelled").cause(cause).build();
    return context.error(ErrorKind.NETWORK, "call failed (" + cause.getClass().getSimpleName() + ")").cause(cause).build();
  }

  /**
   * Classifies an I/O failure of a call (connecting, sending, or reading the body); a
   * {@link TypedIOException} is its own error.
   */
  public static SwitchboardException transportError(IOException e, boolean canceled, ErrorContext context) {
    if (e instanceof TypedIOException typed) return typed.error();
    ErrorKind kind;
    String what;
    if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
      kind = ErrorKind.TIMEOUT;
      what = "timed out";
    } else if (isCutOff(e)) {
      kind = ErrorKind.NETWORK;
      what = "connection closed before the response was complete";
    } else if (e instanceof java.net.ProtocolException) {
      kind = ErrorKind.PROTOCOL;
      what = "malformed response";
    } else if (canceled || "Canceled".equals(e.getMessage())) {
      kind = ErrorKind.CANCELLED;
      what = "call cancelled";
    } else if (e instanceof UnknownHostException) {
      kind = ErrorKind.NETWORK;
      what = "unknown host";
    } else if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      kind = ErrorKind.NETWORK;
      what = "connection failed";
    } else if (e instanceof SSLException) {
      kind = ErrorKind.NETWORK;
      what = "TLS failure";
    } else {
      kind = ErrorKind.NETWORK;
      what = "I/O failure";
    }
    String message = e.getMessage();
    Throwable cause = e;
    if (message != null) {
      // OkHttp quotes what the server sent (a status line, a chunk size): it may echo a credential.
      // Only a message that masking changes is replaced: flattening or bounding alone is no reason to drop the
      // original cause, which callers may inspect (Bedrock's credential failure travels as the cause).
      String safe = HttpErrors.field(message, List.of());
      if (safe != null && !HttpErrors.scrub(message, List.of()).equals(message)) {
        cause = new IOException(e.getClass().getName() + ": " + safe + " (message scrubbed by Switchboard)");
        cause.setStackTrace(e.getStackTrace());
        message = safe;
      }
    }
    String detail = message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    return context.apply(SwitchboardException.builder(kind, what + " (" + detail + ")").cause(cause)).build();
  }

  /**
   * Whether OkHttp reports a body cut short by the connection closing: it throws
   * {@code ProtocolException("unexpected end of stream")} when a fixed-length or chunked body
   * ends early. The server did not break the protocol, the connection broke, so it is NETWORK
   * (retryable) like a reset, not PROTOCOL.
   */
  private static boolean isCutOff(IOException e) {
    return e instanceof java.net.ProtocolException && "unexpected end of stream".equals(e.getMessage());
  }
}
