package dev.switchboard.azure;

import dev.switchboard.Attempt;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link SwitchboardException} raised by one Azure OpenAI attempt, with what Azure said besides
 * the error: the serving region, deployment name and request ids from the headers, and, for
 * {@link ErrorKind#CONTENT_FILTERED}, the content-filter verdicts. When a call fails, the
 * exception Switchboard throws lists its attempts; {@link #find(Throwable)} digs this one out.
 */
public final class AzureOpenAiException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final transient AzureResponseInfo responseInfo;
  private final transient ContentFilterResults contentFilterResults;

  private AzureOpenAiException(Builder builder) {
    super(builder);
    this.responseInfo = builder.responseInfo;
    this.contentFilterResults = builder.contentFilterResults;
  }

  /** An Azure exception holding every field of {@code from} (a failure the OpenAI codec raised), with {@code info}. */
  static Builder builder(SwitchboardException from, AzureResponseInfo info) {
    return new Builder(from, info);
  }

  /** Request ids, region and deployment name from the failed response's headers. */
  public AzureResponseInfo responseInfo() {
    return responseInfo;
  }

  /** The region that answered ({@code x-ms-region}). */
  public Optional<String> region() {
    return responseInfo.region();
  }

  /** The deployment that answered ({@code x-ms-deployment-name}). */
  public Optional<String> deploymentName() {
    return responseInfo.deploymentName();
  }

  /** The content-filter verdicts of a {@link ErrorKind#CONTENT_FILTERED} error, per category. */
  public Optional<ContentFilterResults> contentFilterResults() {
    return Optional.ofNullable(contentFilterResults);
  }

  /** The categories that filtered the content, e.g. {@code [self_harm]}; empty if none were named. */
  public List<String> filteredCategories() {
    return contentFilterResults == null ? List.of() : contentFilterResults.filteredCategories();
  }

  /** A builder of a copy that keeps the response info and filter verdicts as well as every other field. */
  @Override
  public SwitchboardException.Builder toBuilder() {
    return new Builder(this, responseInfo).contentFilterResults(contentFilterResults);
  }

  /**
   * The first Azure exception in {@code error}, its causes, or the errors of its attempts (the
   * exception that ends a call wraps the attempts' exceptions).
   */
  public static Optional<AzureOpenAiException> find(Throwable error) {
    return find(error, new HashSet<>());
  }

  private static Optional<AzureOpenAiException> find(Throwable t, Set<Throwable> seen) {
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof AzureOpenAiException a) return Optional.of(a);
      if (c instanceof SwitchboardException s) {
        for (Attempt attempt : s.attempts()) {
          if (attempt.error().isPresent()) {
            Optional<AzureOpenAiException> found = find(attempt.error().get(), seen);
            if (found.isPresent()) return found;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Builds an {@link AzureOpenAiException}. */
  static final class Builder extends SwitchboardException.Builder {
    private final AzureResponseInfo responseInfo;
    private ContentFilterResults contentFilterResults;

    private Builder(SwitchboardException from, AzureResponseInfo responseInfo) {
      super(from);
      this.responseInfo = responseInfo;
    }

    Builder contentFilterResults(ContentFilterResults results) {
      this.contentFilterResults = results;
      return this;
    }

    @Override
    public AzureOpenAiException build() {
      return new AzureOpenAiException(this);
    }
  }
}
