package dev.switchboard.internal;

import dev.switchboard.Attempt;
import dev.switchboard.ChatResponse;
import dev.switchboard.EmbeddingResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What core adds to an answer when its call ends: the trace of every attempt and the warnings of
 * the call (targets skipped, settings not honoured). Engine-side, so the public records carry no
 * methods only the engine needs; a copy through the canonical constructor is cheaper than a
 * round trip through the builder.
 */
final class Traces {
  private Traces() {}

  /** {@code r} with {@code attempts} as its trace and {@code moreWarnings} after its own warnings. */
  static ChatResponse withTrace(ChatResponse r, List<Attempt> attempts, List<String> moreWarnings) {
    List<String> warnings = r.warnings();
    if (!moreWarnings.isEmpty()) {
      List<String> all = new ArrayList<>(warnings.size() + moreWarnings.size());
      all.addAll(warnings);
      all.addAll(moreWarnings);
      warnings = all;
    }
    return new ChatResponse(r.message(), r.finishReason(), r.rawFinishReason(), r.usage(), r.model(), r.id(), r.servedBy(), attempts,
        warnings, r.requestId(), r.rateLimit(), r.metadata(), r.serviceTier());
  }

  /** {@code r} with {@code attempts} as its trace. */
  static EmbeddingResponse withAttempts(EmbeddingResponse r, List<Attempt> attempts) {
    return new EmbeddingResponse(r.vectors(), r.usage(), r.model(), r.servedBy(), attempts);
  }
}
