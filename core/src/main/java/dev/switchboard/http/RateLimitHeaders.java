package dev.switchboard.http;

import dev.switchboard.RateLimitInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.Headers;

/**
 * Parses {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} (OpenAI's names; Azure
 * sends only the {@code remaining} ones). Reset values are Go-style durations such as
 * {@code 6m0s}, {@code 1.5s} or {@code 12ms}.
 */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  public static RateLimitInfo parse(Headers headers) {
    return new RateLimitInfo(
        number(headers.get("x-ratelimit-limit-requests")),
        number(headers.get("x-ratelimit-remaining-requests")),
        duration(headers.get("x-ratelimit-reset-requests")),
        number(headers.get("x-ratelimit-limit-tokens")),
        number(headers.get("x-ratelimit-remaining-tokens")),
        duration(headers.get("x-ratelimit-reset-tokens")));
  }

  static OptionalLong number(String value) {
    if (value == null) return OptionalLong.empty();
    try {
      long v = Long.parseLong(value.trim());
      return v >= 0 ? OptionalLong.of(v) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Parses {@code 1h2m3.5s}, {@code 6m0s}, {@code 12ms}, {@code 250us}; empty when malformed. */
  public static Optional<Duration> duration(String value) {
    if (value == null) return Optional.empty();
    String s = value.trim();
    if (s.isEmpty()) return Optional.empty();
    double nanos = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      int start = i;
      while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
      if (start == i) return Optional.empty();
      double amount;
      try {
        amount = Double.parseDouble(s.substring(start, i));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      int unitStart = i;
      while (i < n && Character.isLetter(s.charAt(i))) i++;
      String unit = s.substring(unitStart, i);
      double scale = switch (unit) {
        case "h" -> 3.6e12;
        case "m" -> 6e10;
        case "s", "" -> 1e9;
        case "ms" -> 1e6;
        case "us", "µs" -> 1e3;
        case "ns" -> 1;
        default -> -1;
      };
      if (scale < 0) return Optional.empty();
      if (unit.isEmpty() && i < n) return Optional.empty();
      nanos += amount * scale;
    }
    return Optional.of(Duration.ofNanos((long) nanos));
  }
}
