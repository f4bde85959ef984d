package dev.switchboard.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the valid key nearest to a misspelt one (Levenshtein distance). */
final class Suggestions {
  private Suggestions() {}

  /** The nearest of {@code valid} to {@code key}, if it is close enough to be a plausible typo. */
  static Optional<String> nearest(String key, Collection<String> valid) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : valid) {
      int d = distance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3) ? Optional.of(best) : Optional.empty();
  }

  /** "unknown key 'x'" with "; did you mean 'y'?" when one is near, else the valid keys. */
  static String unknownKey(String path, String key, Collection<String> valid) {
    return path + ": unknown key '" + key + "'" + nearest(key, valid).map(s -> "; did you mean '" + s + "'?")
        .orElse("; valid keys: " + new java.util.TreeSet<>(valid));
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
