package dev.switchboard.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A hook for fields an OpenAI-compatible server adds to responses and stream chunks that the
 * OpenAI codec does not interpret, such as Azure's {@code prompt_filter_results} (top level),
 * {@code content_filter_results} and {@code content_filter_offsets} (per choice).
 *
 * <p>The codec asks {@link #wants} for every field it does not know; only for fields wanted does
 * it build a tree and call {@link #accept}, so the common path stays free of tree building.
 * In {@link #accept}, {@code choice} is {@code -1} for a top-level field and the choice's
 * {@code index} for a field of a choice (delivered when the choice object ends, since servers
 * may send {@code index} after it). Choices other than index 0 are reported too.
 * Both methods are called on the decoding thread, in wire order; one instance serves one
 * response or one stream and need not be thread-safe.
 */
public interface ExtraFields {

  /** Wants nothing: every unknown field is skipped. */
  ExtraFields NONE = new ExtraFields() {
    @Override
    public boolean wants(boolean inChoice, String name) {
      return false;
    }

    @Override
    public void accept(int choice, String name, JsonNode value) {}
  };

  /**
   * Whether to hand over the value of field {@code name}, a top-level field or (when
   * {@code inChoice}) a field of a choice object; must be cheap.
   */
  boolean wants(boolean inChoice, String name);

  /** Receives a wanted field's value (never null; JSON {@code null} is a NullNode). */
  void accept(int choice, String name, JsonNode value);

  /**
   * Whether {@code json}, the exact text of the object value of wanted choice field
   * {@code name}, repeats a value this hook already has, so the decoder need neither build its
   * tree nor call {@link #accept}. The decoder asks {@link #repeats(String, String, int, int)},
   * which by default cuts the text out and asks this. The default says no.
   */
  default boolean repeats(String name, String json) {
    return false;
  }

  /**
   * {@link #repeats(String, String)} for the text {@code source.substring(start, end)}, asked
   * with the whole chunk so that a hook can compare the span in place (with
   * {@link String#regionMatches}) and allocate nothing when it repeats. Asked only for stream
   * chunks, whose text the decoder holds, before the choice's index may be known.
   */
  default boolean repeats(String name, String source, int start, int end) {
    return repeats(name, source.substring(start, end));
  }
}
