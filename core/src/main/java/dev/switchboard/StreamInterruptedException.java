package dev.switchboard;

import java.util.Objects;

/**
 * A stream broke after events had already reached the caller, so it could not fail over
 * invisibly. {@link #kind()} is the cause's kind; {@link #partial()} holds everything received
 * before the break (text, tool-call fragments, usage), so nothing the caller saw is lost.
 */
public final class StreamInterruptedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final transient PartialOutput partial;

  private StreamInterruptedException(SwitchboardException cause, PartialOutput partial) {
    super(cause.toBuilder().cause(cause));
    this.partial = partial;
  }

  private StreamInterruptedException(Builder builder) {
    super(builder);
    this.partial = builder.partial;
  }

  /** Wraps {@code cause}, keeping its kind and context, with the output received before it. */
  public static StreamInterruptedException of(SwitchboardException cause, PartialOutput partial) {
    Objects.requireNonNull(cause, "cause == null");
    Objects.requireNonNull(partial, "partial == null");
    return new StreamInterruptedException(cause, partial);
  }

  /** The output the caller had received when the stream broke. */
  public PartialOutput partial() {
    return partial;
  }

  /** A builder of a copy that keeps the partial output as well as every other field. */
  @Override
  public SwitchboardException.Builder toBuilder() {
    return new Builder(this);
  }

  private static final class Builder extends SwitchboardException.Builder {
    private final PartialOutput partial;

    private Builder(StreamInterruptedException from) {
      super(from);
      this.partial = from.partial;
    }

    @Override
    public StreamInterruptedException build() {
      return new StreamInterruptedException(this);
    }
  }
}
