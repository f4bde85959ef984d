package dev.switchboard.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the valid name nearest to a misspelt one (Levenshtein distance), and words the
 * "unknown key" problem the same way wherever a key is checked: by {@link ConfigLoader} for a
 * file, and by provider modules for the settings of a {@code Deployment} built in code.
 */
public final class Suggestions {
  private Suggestions() {}

  /** The nearest of {@code valid} to {@code key}, if it is close enough to be a plausible typo. */
  public static Optional<String> nearest(String key, Collection<String> valid) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(valid)) {
      int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3) ? Optional.of(best) : Optional.empty();
  }

  /**
   * {@code parent.key: unknown key; did you mean 'y'?} when one of {@code valid} is near, else
   * the valid keys; {@code parent} is the path of the mapping holding {@code key} (empty at the
   * top of a file).
   */
  public static String unknownKey(String parent, String key, Collection<String> valid) {
    return (parent.isEmpty() ? key : parent + "." + key) + ": unknown key" + hint(key, valid, "valid keys");
  }

  /** {@code "; did you mean 'y'?"} when one of {@code valid} is near {@code name}, else {@code "; <listName>: [...]"}. */
  public static String hint(String name, Collection<String> valid, String listName) {
    return nearest(name, valid).map(s -> "; did you mean '" + s + "'?").orElse("; " + listName + ": " + new TreeSet<>(valid));
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
