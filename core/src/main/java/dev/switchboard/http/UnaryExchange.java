package dev.switchboard.http;

import dev.switchboard.ErrorKind;
import dev.switchboard.HttpSettings;
import dev.switchboard.SwitchboardException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One non-streamed HTTP exchange of a provider, the skeleton every provider shares: sign the
 * request with the deployment's {@link Signer} (once per attempt; a provider may fetch a
 * credential first), send it with {@link HttpCalls#execute} (on the caller's thread for a
 * blocking caller, see {@link CallerRuns}), read the body bounded by the size limit, the deadline
 * and cancellation ({@link GuardedBody}), hand a non-2xx body to the provider's error classifier
 * and a 2xx body to its reader. The provider supplies only the request, its signer and its codec.
 *
 * <p>The returned future completes only with the reader's value or a {@link SwitchboardException}
 * naming the provider and target (see {@link HttpCalls#failure}); a signing failure keeps its
 * kind and sends nothing. Cancelling it cancels the HTTP call at whatever stage it is: while
 * signing (nothing is sent), waiting for the headers, or reading the body (the read stops within
 * one chunk). {@code timeout} covers signing too. Thread-safe; one instance serves every call of
 * a deployment.
 */
public final class UnaryExchange {
  /** Reads a 2xx response from its body, a stream bounded by the size limit, the deadline and cancellation. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Response response, GuardedBody body, SignedRequest signed) throws GuardedBody.Failure;
  }

  /** The typed error for a non-2xx response, from its (bounded) body; {@code signed} holds the secrets to scrub. */
  @FunctionalInterface
  public interface ErrorClassifier {
    SwitchboardException classify(Response response, byte[] body, SignedRequest signed);
  }

  private final OkHttpClient client;
  private final Clock clock;
  private final HttpSettings http;
  private final Signer signer;

  /** Exchanges over {@code client}, each attempt signed by {@code signer}. */
  public UnaryExchange(OkHttpClient client, Clock clock, HttpSettings http, Signer signer) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.http = Objects.requireNonNull(http, "http == null");
    this.signer = Objects.requireNonNull(signer, "signer == null");
  }

  /**
   * Signs {@code request} (whose body is {@code body}), then sends it once signed; should signing
   * fail, the result fails with that failure as a typed error and nothing is sent.
   */
  public <T> CompletableFuture<T> send(Request request, byte[] body, Duration timeout, ErrorContext ctx,
      ErrorClassifier errors, Reader<T> reader) {
    Objects.requireNonNull(request, "request == null");
    Instant deadline = clock.instant().plus(timeout);
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<Call> httpCall = new AtomicReference<>();
    result.whenComplete((r, e) -> {
      Call c = httpCall.get();
      if (e instanceof CancellationException && c != null) c.cancel();
    });
    Signer.apply(signer, request, body).whenComplete((signed, failure) -> {
      if (failure != null) {
        result.completeExceptionally(HttpCalls.failure(failure, ctx));
        return;
      }
      if (result.isDone()) return;
      Call c;
      try {
        c = client.newCall(signed.request());
      } catch (RuntimeException e) {
        result.completeExceptionally(HttpCalls.failure(e, ctx));
        return;
      }
      httpCall.set(c);
      // Read after publishing the call: either this thread sees the cancellation, or the canceller sees the call.
      if (result.isDone()) {
        c.cancel();
        return;
      }
      HttpCalls.execute(c, ctx)
          .whenComplete((response, err) -> {
            if (err != null) result.completeExceptionally(HttpCalls.failure(err, ctx));
            else read(response, signed, result, deadline, ctx, errors, reader);
          });
    });
    return result;
  }

  private <T> void read(Response response, SignedRequest signed, CompletableFuture<T> result, Instant deadline,
      ErrorContext ctx, ErrorClassifier errors, Reader<T> reader) {
    try (response) {
      if (result.isDone()) return;
      long maxBytes = http.maxResponseBytes();
      GuardedBody.checkDeclaredLength(response.body().contentLength(), maxBytes, ctx);
      GuardedBody body = new GuardedBody(response.body().byteStream(), response.body().contentLength(), maxBytes,
          () -> stopReason(result, deadline, ctx), ctx);
      if (!response.isSuccessful()) {
        result.completeExceptionally(errors.classify(response, body.readAll(), signed));
        return;
      }
      T value = reader.read(response, body, signed);
      body.drain();
      result.complete(value);
    } catch (GuardedBody.Failure e) {
      result.completeExceptionally(e.error());
    } catch (SwitchboardException e) {
      result.completeExceptionally(e);
    } catch (RuntimeException e) {
      result.completeExceptionally(ctx.error(ErrorKind.PROTOCOL, "could not read the response ("
          + e.getClass().getSimpleName() + ")").cause(e).build());
    }
  }

  /** Why reading a response must stop now, or null: the call was cancelled (or ended otherwise) or its deadline passed. */
  private SwitchboardException stopReason(CompletableFuture<?> result, Instant deadline, ErrorContext ctx) {
    if (result.isDone()) return ctx.error(ErrorKind.CANCELLED, "call cancelled while its response was read").build();
    if (!clock.instant().isBefore(deadline)) {
      return ctx.error(ErrorKind.TIMEOUT, "timed out: the deadline passed while the response body was read").build();
    }
    return null;
  }
}
