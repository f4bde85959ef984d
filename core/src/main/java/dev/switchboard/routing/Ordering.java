package dev.switchboard.routing;

import java.util.Arrays;
import java.util.List;

/**
 * Sorting shared by the built-in strategies. Aliases have a handful of targets, so an insertion
 * sort over an index array beats a comparator-based sort and allocates almost nothing. Keys are
 * snapshotted by the caller first: live stats change while sorting, which would break a
 * comparator's contract.
 */
final class Ordering {
  private Ordering() {}

  /** {@code candidates} by ascending key; ties by priority, then by position. */
  static List<Candidate> byKey(List<Candidate> candidates, double[] key) {
    int n = candidates.size();
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    for (int i = 1; i < n; i++) {
      int cur = idx[i];
      int j = i - 1;
      while (j >= 0 && compare(candidates, key, idx[j], cur) > 0) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = cur;
    }
    Candidate[] out = new Candidate[n];
    for (int i = 0; i < n; i++) out[i] = candidates.get(idx[i]);
    return Arrays.asList(out);
  }

  private static int compare(List<Candidate> c, double[] key, int a, int b) {
    int k = Double.compare(key[a], key[b]);
    if (k != 0) return k;
    int p = Integer.compare(c.get(a).target().priority(), c.get(b).target().priority());
    return p != 0 ? p : Integer.compare(a, b);
  }

  /** {@code candidates} by priority (stable). */
  static List<Candidate> byPriority(List<Candidate> candidates) {
    return byKey(candidates, new double[candidates.size()]);
  }
}
