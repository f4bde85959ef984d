package dev.switchboard;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one exception type Switchboard throws for a failed call. It is unchecked and always
 * carries an {@link ErrorKind}; the provider type, target, HTTP status, provider error code and
 * request id when they are known; what the provider said about the error in its own words (its
 * message, error type and inner code); the server's Retry-After; and, for the exception that ends
 * a call, the trace of every {@link Attempt} with its cause.
 *
 * <p>Messages never contain credentials, and never prompt or completion text. Every
 * server-supplied field is masked of credentials and bounded in length when it is set on the
 * {@link Builder}, so the accessors are as safe to log as the message.
 */
public class SwitchboardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final String detail;
  private final String provider;
  private final String target;
  private final int httpStatus;
  private final String providerCode;
  private final String providerMessage;
  private final String providerType;
  private final String providerInnerCode;
  private final String requestId;
  private final transient Duration retryAfter;
  private final transient RateLimitInfo rateLimit;
  private final transient List<Attempt> attempts;
  /** A stand-in in a cause chain for an exception whose detail the exception above repeats. */
  private final boolean restated;

  protected SwitchboardException(Builder builder) {
    super(null, causeFor(builder));
    this.restated = builder.restated;
    this.kind = builder.kind;
    this.detail = builder.message;
    this.provider = builder.provider;
    this.target = builder.target;
    this.httpStatus = builder.httpStatus;
    this.providerCode = builder.providerCode;
    this.providerMessage = builder.providerMessage;
    this.providerType = builder.providerType;
    this.providerInnerCode = builder.providerInnerCode;
    this.requestId = builder.requestId;
    this.retryAfter = builder.retryAfter;
    this.rateLimit = builder.rateLimit;
    this.attempts = List.copyOf(builder.attempts);
  }

  /** Starts an exception of {@code kind} with a short, secret-free description. */
  public static Builder builder(ErrorKind kind, String message) {
    return new Builder(kind, message);
  }

  /** Shorthand for an exception with only a kind and a message. */
  public static SwitchboardException of(ErrorKind kind, String message) {
    return builder(kind, message).build();
  }

  /**
   * Starts a plain SwitchboardException that restates {@code from}: every field it has as a
   * SwitchboardException (kind, message, context, attempts, cause), none of its subclass's own.
   * To copy {@code from} with its class and everything, use {@link #toBuilder()}.
   */
  public static Builder builder(SwitchboardException from) {
    return new Builder(from);
  }

  /**
   * A builder holding every field of this exception, to derive a changed copy of the same class:
   * a subclass with fields of its own ({@link StreamInterruptedException}'s partial output, a
   * provider's response details) overrides this so that {@code toBuilder().build()} keeps them.
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The description without the context prefix that {@link #getMessage()} adds. */
  public String detail() {
    return detail;
  }

  /** The provider type ({@code openai}, {@code azure-openai}, {@code bedrock}, ...). */
  public Optional<String> provider() {
    return Optional.ofNullable(provider);
  }

  /** The deployment (target) name the failure came from. */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  public OptionalInt httpStatus() {
    return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
  }

  /**
   * The provider's own error code exactly where it sent one, e.g. {@code context_length_exceeded}
   * (OpenAI {@code error.code}), {@code content_filter} (Azure) or {@code ThrottlingException}
   * (Bedrock's error name, its only error identifier). Empty when the provider sent no code: the
   * error type is not substituted for it (see {@link #providerType()}).
   */
  public Optional<String> providerCode() {
    return Optional.ofNullable(providerCode);
  }

  /**
   * The provider's own error message, as it sent it but masked of credentials and cut to
   * {@value dev.switchboard.http.HttpErrors#MESSAGE_CHARS} characters; {@link #detail()} is this
   * message decorated with what Switchboard adds. Empty when the body held none.
   */
  public Optional<String> providerMessage() {
    return Optional.ofNullable(providerMessage);
  }

  /**
   * The provider's error type, e.g. OpenAI's {@code invalid_request_error} or
   * {@code insufficient_quota}. Empty for providers without one (Bedrock names an error only by
   * its code).
   */
  public Optional<String> providerType() {
    return Optional.ofNullable(providerType);
  }

  /**
   * The provider's inner error code, e.g. Azure's {@code innererror.code}
   * {@code ResponsibleAIPolicyViolation} under the code {@code content_filter}.
   */
  public Optional<String> providerInnerCode() {
    return Optional.ofNullable(providerInnerCode);
  }

  /** The provider's request id, for support tickets. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** How long the server asked us to wait before trying again. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Rate-limit headers that came with the failed response. */
  public Optional<RateLimitInfo> rateLimit() {
    return Optional.ofNullable(rateLimit);
  }

  /** Every attempt the call made, in order; empty for an exception raised by a single attempt. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** Whether the same target may succeed if tried again ({@link ErrorKind#retryableByDefault()}). */
  public boolean isRetryable() {
    return kind.retryableByDefault();
  }

  /**
   * The cause to chain: {@code builder}'s, or — when that is a SwitchboardException whose detail
   * this one repeats (the exception that ends a call restates its last attempt's; a blocking
   * call's rethrow restates the original) — a stand-in of the same class with the same fields,
   * stack trace, cause and suppressed exceptions whose message points up instead of printing the
   * detail again. So a long detail (an AWS credential-chain text is ~800 characters) appears once
   * in a printed stack trace or a log line, not once per link.
   */
  private static Throwable causeFor(Builder b) {
    if (!(b.cause instanceof SwitchboardException c) || c.restated || c.detail.isEmpty() || !b.message.contains(c.detail)) {
      return b.cause;
    }
    if (!c.attempts.isEmpty() && !c.attempts.equals(b.attempts)) return b.cause; // its own attempt list says more
    Builder copy = c.toBuilder();
    copy.restated = true;
    SwitchboardException standIn = copy.build();
    standIn.setStackTrace(c.getStackTrace());
    for (Throwable t : c.getSuppressed()) standIn.addSuppressed(t);
    return standIn;
  }

  @Override
  public String getMessage() {
    return message(!restated);
  }

  private String message(boolean withDetail) {
    StringBuilder sb = new StringBuilder().append(kind);
    if (provider != null || target != null) {
      sb.append(" from ");
      if (target != null) sb.append(target);
      if (provider != null) sb.append(target != null ? " (" + provider + ")" : provider);
    }
    StringBuilder ctx = new StringBuilder();
    if (httpStatus > 0) ctx.append("HTTP ").append(httpStatus);
    if (providerCode != null) ctx.append(ctx.length() > 0 ? ", " : "").append("code ").append(providerCode);
    if (requestId != null) ctx.append(ctx.length() > 0 ? ", " : "").append("request-id ").append(requestId);
    if (retryAfter != null) ctx.append(ctx.length() > 0 ? ", " : "").append("retry after ").append(retryAfter);
    if (ctx.length() > 0) sb.append(" [").append(ctx).append(']');
    if (!withDetail) return sb.append(": (the message above)").toString();
    sb.append(": ").append(detail);
    if (!attempts.isEmpty()) {
      sb.append("; attempts:");
      // An attempt whose detail is already in the headline is listed without it: said once.
      for (Attempt a : attempts) sb.append("\n  ").append(a.describe(a.error().map(e -> !detail.contains(e.detail())).orElse(true)));
    }
    return sb.toString();
  }

  /** Builds a {@link SwitchboardException}; every field but kind and message is optional. */
  public static class Builder {
    private ErrorKind kind;
    private String message;
    private String provider;
    private String target;
    private int httpStatus;
    private String providerCode;
    private String providerMessage;
    private String providerType;
    private String providerInnerCode;
    private String requestId;
    private Duration retryAfter;
    private RateLimitInfo rateLimit;
    private List<Attempt> attempts = List.of();
    private Throwable cause;
    private boolean restated;

    protected Builder(ErrorKind kind, String message) {
      this.kind = Objects.requireNonNull(kind, "kind == null");
      this.message = Objects.requireNonNull(message, "message == null");
    }

    /**
     * A builder holding every field {@code from} has as a SwitchboardException: the one place
     * an exception is copied. A subclass's builder calls this and adds its own fields.
     */
    protected Builder(SwitchboardException from) {
      this(from.kind, from.detail);
      provider = from.provider;
      target = from.target;
      httpStatus = from.httpStatus;
      providerCode = from.providerCode;
      providerMessage = from.providerMessage;
      providerType = from.providerType;
      providerInnerCode = from.providerInnerCode;
      requestId = from.requestId;
      retryAfter = from.retryAfter;
      rateLimit = from.rateLimit;
      attempts = from.attempts;
      cause = from.getCause();
    }

    /** Replaces the kind (a refinement: Azure's long Retry-After turns RATE_LIMITED into QUOTA_EXCEEDED). */
    public Builder kind(ErrorKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind == null");
      return this;
    }

    /** Replaces the short, secret-free description. */
    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message == null");
      return this;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder target(String target) {
      this.target = target;
      return this;
    }

    public Builder httpStatus(int httpStatus) {
      this.httpStatus = httpStatus;
      return this;
    }

    /** The provider's own error code; server-supplied, so masked and bounded like any other field. */
    public Builder providerCode(String providerCode) {
      this.providerCode = dev.switchboard.http.HttpErrors.field(providerCode, java.util.List.of());
      return this;
    }

    /**
     * The provider's own error message; server-supplied, so masked and cut to
     * {@value dev.switchboard.http.HttpErrors#MESSAGE_CHARS} characters. A provider passes it
     * through {@link dev.switchboard.http.HttpErrors#message} with its secrets first.
     */
    public Builder providerMessage(String providerMessage) {
      this.providerMessage = dev.switchboard.http.HttpErrors.message(providerMessage, java.util.List.of());
      return this;
    }

    /** The provider's error type; server-supplied, so masked and bounded like any other field. */
    public Builder providerType(String providerType) {
      this.providerType = dev.switchboard.http.HttpErrors.field(providerType, java.util.List.of());
      return this;
    }

    /** The provider's inner error code (Azure's {@code innererror.code}); masked and bounded like any other field. */
    public Builder providerInnerCode(String providerInnerCode) {
      this.providerInnerCode = dev.switchboard.http.HttpErrors.field(providerInnerCode, java.util.List.of());
      return this;
    }

    /** The provider's request id; server-supplied, so masked and bounded like any other field. */
    public Builder requestId(String requestId) {
      this.requestId = dev.switchboard.http.HttpErrors.field(requestId, java.util.List.of());
      return this;
    }

    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    public Builder rateLimit(RateLimitInfo rateLimit) {
      this.rateLimit = rateLimit;
      return this;
    }

    public Builder attempts(List<Attempt> attempts) {
      this.attempts = Objects.requireNonNull(attempts, "attempts == null");
      return this;
    }

    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    protected ErrorKind kind() {
      return kind;
    }

    public SwitchboardException build() {
      return new SwitchboardException(this);
    }
  }
}
