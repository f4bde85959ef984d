package dev.switchboard.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/**
 * jqwik generators for hostile input to the wire parsers: mutations of recorded bodies (bit
 * flips, cuts, splices, duplicated and deleted ranges, inserted protocol tokens, numbers
 * replaced by extreme ones), token soups that look like JSON or SSE, and read-size sequences that
 * split a body at arbitrary byte boundaries. Positions are drawn as fractions of the input, so
 * one generated mutation applies to a body of any length and shrinks towards the start.
 */
public final class Hostile {
  private Hostile() {}

  /** Tokens that steer a parser into its interesting states. */
  static final List<String> TOKENS = List.of(
      "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "false",
      "\"choices\"", "\"delta\"", "\"content\"", "\"tool_calls\"", "\"index\"", "\"function\"", "\"arguments\"",
      "\"name\"", "\"id\"", "\"error\"", "\"usage\"", "\"finish_reason\"", "\"message\"", "\"type\"", "\"code\"",
      "\"contentBlockIndex\"", "\"toolUse\"", "\"input\"", "\"stopReason\"", "\"text\"", "\"output\"",
      "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e309", "-0.0", "1E-400",
      "data:", "data: ", "event:", "event: error", "id:", "retry:", ":", "[DONE]", "\n", "\r", "\r\n", "\n\n",
      "\u00e9", "\uffff", "\u0000", "\u2028");

  /** Numbers a mutation may put where a number was. */
  static final List<String> EXTREME_NUMBERS = List.of(
      "2147483647", "2147483648", "-1", "-2147483648", "99999999999999999999999", "1e309", "-0", "0.5", "1" + "0".repeat(1200));

  /** One edit of a body. */
  public record Mutation(Op op, double at, double to, int bits, byte[] bytes) {
    /** What an edit does. */
    public enum Op { FLIP, DELETE, INSERT, DUPLICATE, TRUNCATE, SWAP, TOKEN, NUMBER }

    /** This edit applied to {@code in} (a new array; {@code in} is not changed). */
    public byte[] apply(byte[] in) {
      int n = in.length;
      int i = n == 0 ? 0 : (int) Math.min(n - 1, Math.floor(at * n));
      int j = n == 0 ? 0 : (int) Math.min(n, i + Math.floor(to * (n - i)) + 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream(n + bytes.length + 16);
      switch (op) {
        case FLIP -> {
          if (n == 0) return in;
          byte[] copy = in.clone();
          copy[i] ^= (byte) (bits == 0 ? 1 : bits);
          return copy;
        }
        case DELETE -> {
          out.write(in, 0, i);
          out.write(in, j, n - j);
        }
        case INSERT, TOKEN -> {
          out.write(in, 0, i);
          out.writeBytes(bytes);
          out.write(in, i, n - i);
        }
        case DUPLICATE -> {
          out.write(in, 0, j);
          out.write(in, i, j - i);
          out.write(in, j, n - j);
        }
        case TRUNCATE -> out.write(in, 0, i);
        case SWAP -> {
          // move [i, j) to the end
          out.write(in, 0, i);
          out.write(in, j, n - j);
          out.write(in, i, j - i);
        }
        case NUMBER -> {
          int start = -1;
          for (int k = i; k < n; k++) {
            if (in[k] >= '0' && in[k] <= '9') {
              start = k;
              break;
            }
          }
          if (start < 0) return in;
          int end = start;
          while (end < n && ((in[end] >= '0' && in[end] <= '9') || in[end] == '.')) end++;
          out.write(in, 0, start);
          out.writeBytes(bytes);
          out.write(in, end, n - end);
        }
        default -> throw new IllegalStateException(op.toString());
      }
      return out.toByteArray();
    }
  }

  /** A single random mutation. */
  public static Arbitrary<Mutation> mutation() {
    Arbitrary<Mutation.Op> ops = Arbitraries.of(Mutation.Op.class);
    Arbitrary<Double> fraction = Arbitraries.doubles().between(0, 1);
    Arbitrary<Integer> bits = Arbitraries.integers().between(1, 255);
    return Combinators.combine(ops, fraction, fraction, bits, Arbitraries.bytes().array(byte[].class).ofMaxSize(16),
        Arbitraries.of(TOKENS), Arbitraries.of(EXTREME_NUMBERS))
        .as((op, at, to, b, random, token, number) -> new Mutation(op, at, to, b, switch (op) {
          case TOKEN -> token.getBytes(StandardCharsets.UTF_8);
          case NUMBER -> number.getBytes(StandardCharsets.UTF_8);
          default -> random;
        }));
  }

  /** {@code base} with one to {@code max} mutations applied in turn. */
  public static Arbitrary<byte[]> mutated(byte[] base, int max) {
    return mutation().list().ofMinSize(1).ofMaxSize(max).map(ms -> {
      byte[] b = base;
      for (Mutation m : ms) b = m.apply(b);
      return b;
    });
  }

  /** One of {@code bases}, mutated. */
  public static Arbitrary<byte[]> mutatedOneOf(List<byte[]> bases, int max) {
    return Arbitraries.of(bases).flatMap(b -> mutated(b, max));
  }

  /** A soup of parser-steering tokens and random characters. */
  public static Arbitrary<String> tokenSoup(int maxTokens) {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(TOKENS)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(6)));
    return piece.list().ofMaxSize(maxTokens).map(l -> String.join("", l));
  }

  /** Read sizes for {@link #split}: each read hands out 1..{@code max} bytes. */
  public static Arbitrary<List<Integer>> readSizes(int max) {
    return Arbitraries.integers().between(1, max).list().ofMinSize(1).ofMaxSize(64);
  }

  /** A source that hands {@code body} out in reads of the given sizes, cycling through them. */
  public static BufferedSource split(byte[] body, List<Integer> readSizes) {
    List<Integer> sizes = new ArrayList<>(readSizes);
    Buffer data = new Buffer().write(body);
    return Okio.buffer(new Source() {
      private int next;

      @Override
      public long read(Buffer sink, long byteCount) {
        if (data.size() == 0) return -1;
        long n = Math.min(Math.min(byteCount, data.size()), sizes.get(next++ % sizes.size()));
        sink.write(data, n);
        return n;
      }

      @Override
      public Timeout timeout() {
        return Timeout.NONE;
      }

      @Override
      public void close() {}
    });
  }
}
