package dev.switchboard;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a request marks the end of a prompt prefix worth caching, apart from the
 * {@link ContentPart.CachePoint}s placed inside user messages: after the tool definitions, and
 * after whole messages (by index into {@link ChatRequest#messages()}; a system message's index
 * puts the point after that system text). Set with {@link ChatRequest.Builder#cachePoint()} and
 * {@link ChatRequest.Builder#cachePointAfterTools()}; see {@link ContentPart.CachePoint} for what
 * each provider does with them.
 *
 * @param afterMessages message indices in ascending order, each once
 */
public record CachePoints(boolean afterTools, List<Integer> afterMessages) {

  /** No cache points. */
  public static final CachePoints NONE = new CachePoints(false, List.of());

  public CachePoints {
    Objects.requireNonNull(afterMessages, "afterMessages == null");
    TreeSet<Integer> sorted = new TreeSet<>();
    for (Integer i : afterMessages) {
      if (i == null || i < 0) throw new IllegalArgumentException("cache point message index " + i + " must be >= 0");
      sorted.add(i);
    }
    afterMessages = List.copyOf(sorted);
  }

  /** Whether there is a cache point right after message {@code index}. */
  public boolean afterMessage(int index) {
    return afterMessages.contains(index);
  }

  public boolean isEmpty() {
    return !afterTools && afterMessages.isEmpty();
  }

  CachePoints withAfterMessage(int index) {
    List<Integer> more = new java.util.ArrayList<>(afterMessages);
    more.add(index);
    return new CachePoints(afterTools, more);
  }

  CachePoints withAfterTools() {
    return new CachePoints(true, afterMessages);
  }
}
