package dev.switchboard.reliability;

import dev.switchboard.ErrorKind;
import dev.switchboard.resilience.RetryPolicy;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The faults of the matrix: what the primary target does to a call, and the error kind it must
 * come out as. A fault applies to non-streamed calls, streams, or both; where one shape has no
 * counterpart in a provider's protocol (an SSE stream has no checksum) the cell is not run and
 * the table says so. Faults marked mid-stream strike after the first event reached the caller.
 */
enum Fault {
  CONNECTION_REFUSED("connection refused", ErrorKind.NETWORK, true, true),
  UNKNOWN_HOST("unresolvable host (.invalid)", ErrorKind.NETWORK, true, true),
  RESET_BEFORE_HEADERS("reset before response headers", ErrorKind.NETWORK, true, true),
  RESET_MID_BODY("reset mid-body", ErrorKind.NETWORK, true, false),
  CLOSED_MID_BODY("connection closed (FIN) mid-body", ErrorKind.NETWORK, true, false),
  RESET_MID_STREAM("reset mid-stream", ErrorKind.NETWORK, false, true),
  HEADERS_TOO_SLOW("headers slower than the timeout", ErrorKind.TIMEOUT, true, true),
  STALL("body / stream stalls past the idle timeout", ErrorKind.TIMEOUT, true, true),
  RATE_LIMITED_SHORT("429, Retry-After: 1", ErrorKind.RATE_LIMITED, true, true),
  RATE_LIMITED_DAY("429, Retry-After: 86400", ErrorKind.RATE_LIMITED, true, true),
  HTTP_500("500", ErrorKind.SERVER_ERROR, true, true),
  HTTP_502("502", ErrorKind.UNAVAILABLE, true, true),
  HTTP_503("503", ErrorKind.UNAVAILABLE, true, true),
  HTTP_503_RETRY_NOW("503, Retry-After: 0", ErrorKind.UNAVAILABLE, true, true),
  HTTP_503_RETRY_HUGE("503, Retry-After: 99999999999", ErrorKind.UNAVAILABLE, true, true),
  HTTP_504("504", ErrorKind.UNAVAILABLE, true, true),
  HTML_502("502 with an HTML page", ErrorKind.UNAVAILABLE, true, true),
  MALFORMED_JSON("malformed JSON", ErrorKind.PROTOCOL, true, true),
  EMPTY_200("empty 200 body", ErrorKind.PROTOCOL, true, true),
  TRUNCATED("truncated: JSON cut / stream without [DONE] or messageStop", ErrorKind.PROTOCOL, true, true),
  BAD_CRC("event-stream frame with a bad CRC", ErrorKind.PROTOCOL, false, true),
  IN_STREAM_ERROR("in-stream exception frame / SSE error event", ErrorKind.SERVER_ERROR, false, true),
  TOO_LARGE("response larger than the limit", ErrorKind.PROTOCOL, true, true);

  /** The limits the matrix's switchboards run with. */
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_LINE = 16 * 1024;

  final String label;
  private final ErrorKind kind;
  private final boolean chat;
  private final boolean stream;

  Fault(String label, ErrorKind kind, boolean chat, boolean stream) {
    this.label = label;
    this.kind = kind;
    this.chat = chat;
    this.stream = stream;
  }

  boolean applies(Kind provider, boolean streaming) {
    if (this == BAD_CRC) return streaming && provider == Kind.BEDROCK;
    return streaming ? stream : chat;
  }

  /** Why a cell is not run. */
  String notApplicable(Kind provider, boolean streaming) {
    if (this == BAD_CRC && streaming) return "n/a: SSE has no checksum";
    return streaming ? "n/a: no stream counterpart" : "n/a: stream-only fault";
  }

  /** The kind this fault must surface as from {@code provider}. */
  ErrorKind kind(Kind provider) {
    // Azure counts a Retry-After longer than its quota threshold (60 s) as an exhausted quota.
    if (this == RATE_LIMITED_DAY && provider == Kind.AZURE) return ErrorKind.QUOTA_EXCEEDED;
    return kind;
  }

  /** Whether the fault strikes after the stream's first event reached the caller. */
  boolean midStream(boolean streaming) {
    return streaming && (this == RESET_MID_STREAM || this == STALL || this == TRUNCATED || this == IN_STREAM_ERROR);
  }

  /**
   * Attempts the primary gets under the default retry policy: a retryable kind is tried twice,
   * except a 429, which fails over at once while a secondary ({@code alone} false) can serve.
   */
  int primaryAttempts(Kind provider, boolean streaming, boolean alone) {
    if (midStream(streaming)) return 1;
    ErrorKind k = kind(provider);
    if (!RetryPolicy.DEFAULT_RETRY_ON.contains(k)) return 1;
    if (k == ErrorKind.RATE_LIMITED && !alone) return 1;
    // A Retry-After longer than the policy's maxRetryAfter is not waited for.
    return this == RATE_LIMITED_DAY || this == HTTP_503_RETRY_HUGE ? 1 : 2;
  }

  /** Whether the fault needs a scripted server (the others are a closed port and an unresolvable name). */
  boolean needsServer() {
    return this != CONNECTION_REFUSED && this != UNKNOWN_HOST;
  }

  /**
   * The primary's script. {@code firstEventSeen} is released by the consumer once the first
   * event arrived: a reset sent before that could overtake the event bytes in the kernel.
   */
  FaultServer.Script script(Kind p, boolean streaming, CountDownLatch firstEventSeen) {
    String secretEcho = "Incorrect API key provided: " + p.secret() + ". You can find your API key at https://example.invalid/keys.";
    return ex -> {
      switch (this) {
        case RESET_BEFORE_HEADERS -> ex.reset();
        case RESET_MID_BODY, CLOSED_MID_BODY -> {
          byte[] body = p.chat("hello");
          ex.head(200, p.chatContentType(), body.length).write(Arrays.copyOf(body, body.length / 2)).flush();
          if (this == RESET_MID_BODY) ex.reset();
          else ex.close();
        }
        case RESET_MID_STREAM -> {
          streamHead(ex, p).write(p.streamText("hello")).flush();
          await(firstEventSeen);
          ex.reset();
        }
        case HEADERS_TOO_SLOW -> ex.stall();
        case STALL -> {
          if (streaming) {
            streamHead(ex, p).write(p.streamText("hello")).flush();
          } else {
            byte[] body = p.chat("hello");
            ex.head(200, p.chatContentType(), body.length).write(Arrays.copyOf(body, body.length / 2)).flush();
          }
          ex.stall();
        }
        case RATE_LIMITED_SHORT, RATE_LIMITED_DAY -> ex.respond(429, "application/json",
            p.errorBody(429, "Rate limit reached for requests. " + secretEcho),
            with(p.errorHeaders(429), "retry-after", this == RATE_LIMITED_SHORT ? "1" : "86400"));
        case HTTP_500, HTTP_502, HTTP_503, HTTP_504 -> {
          int status = Integer.parseInt(label);
          ex.respond(status, "application/json", p.errorBody(status, "The server had an error. " + secretEcho), p.errorHeaders(status));
        }
        // OkHttp used to replay the first itself (the server saw 4 requests for 2 attempts) and
        // to throw NumberFormatException on the second (no failover, an uncaught exception).
        case HTTP_503_RETRY_NOW, HTTP_503_RETRY_HUGE -> ex.respond(503, "application/json",
            p.errorBody(503, "The server is busy. " + secretEcho),
            with(p.errorHeaders(503), "Retry-After", this == HTTP_503_RETRY_NOW ? "0" : "99999999999"));
        case HTML_502 -> ex.respond(502, "text/html", Kind.utf8("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
            + "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center><!-- api-key: " + p.secret()
            + " --></body></html>\n"), p.errorHeaders(502));
        case MALFORMED_JSON -> {
          if (streaming) streamHead(ex, p).write(p.malformedStreamPiece()).write(p.streamEnd()).close();
          else ex.respond(200, p.chatContentType(), Kind.utf8("{\"id\":\"chatcmpl-rel\",\"choices\":[{\"index\":0,\"message\":"
              + "{\"role\":\"assistant\",\"content\":\"hello\"}}]]], \"usage\": nul}"));
        }
        case EMPTY_200 -> ex.respond(200, streaming ? p.streamContentType() : p.chatContentType(), new byte[0]);
        case TRUNCATED -> {
          if (streaming) {
            streamHead(ex, p).write(p.streamText("hello")).flush();
            ex.close();
          } else {
            byte[] body = p.chat("hello");
            ex.respond(200, p.chatContentType(), Arrays.copyOf(body, body.length - 12));
          }
        }
        case BAD_CRC -> streamHead(ex, p).write(Kind.corruptCrc(p.streamText("hello"))).write(p.streamEnd()).close();
        case IN_STREAM_ERROR -> streamHead(ex, p).write(p.streamText("hello"))
            .write(p.streamError("The model had an internal error. " + secretEcho)).close();
        case TOO_LARGE -> {
          if (streaming) streamHead(ex, p).write(p.oversizedStreamPiece(MAX_LINE)).write(p.streamEnd()).close();
          else ex.respond(200, p.chatContentType(), p.chat("x".repeat(MAX_BODY + 1024)));
        }
        default -> throw new IllegalStateException(this + " has no script");
      }
    };
  }

  private static FaultServer.Exchange streamHead(FaultServer.Exchange ex, Kind p) throws IOException {
    return ex.head(200, p.streamContentType(), -1).write(p.streamPreamble());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String[] with(String[] headers, String... more) {
    String[] all = Arrays.copyOf(headers, headers.length + more.length);
    System.arraycopy(more, 0, all, headers.length, more.length);
    return all;
  }
}
