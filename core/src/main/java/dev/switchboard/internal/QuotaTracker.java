package dev.switchboard.internal;

import dev.switchboard.RateLimitInfo;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.state.SharedTarget;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What is known about one target's rate-limit quota. Three sources, combined by taking the
 * smallest remaining value that is known:
 *
 * <ol>
 *   <li>The latest {@code x-ratelimit-*} snapshot a response or error carried, minus what was
 *       sent since (requests, and estimated plus reported tokens), valid until its reset time
 *       (or, without one, until an error's Retry-After, else for a minute).
 *   <li>Configured {@link TargetLimits}, counted locally over a sliding minute — for providers
 *       that send no headers.
 *   <li>A QUOTA_EXCEEDED error, which marks the quota exhausted until its Retry-After.
 * </ol>
 * When a provider sends what remains but not the limit (Azure does), the largest remaining value
 * seen serves as the limit for {@link #fraction}.
 *
 * <p>With a {@link SharedTarget} (several instances sharing a store), sends and quota errors are
 * also reported to it, and the configured limits count what every instance sent: the larger of the
 * local and the shared count, so an unreachable store falls back to local counting.
 */
final class QuotaTracker {
  private static final long DEFAULT_VALIDITY_MILLIS = 60_000;

  private final TargetLimits limits;
  private final SlidingCounter requestWindow;
  private final SlidingCounter tokenWindow;
  private volatile Snapshot snapshot;
  private volatile long exhaustedUntil = Long.MIN_VALUE;
  private volatile long learnedRequestLimit = -1;
  private volatile long learnedTokenLimit = -1;

  private final SharedTarget shared;

  QuotaTracker(TargetLimits limits) {
    this(limits, null);
  }

  QuotaTracker(TargetLimits limits, SharedTarget shared) {
    this.limits = limits;
    this.shared = shared;
    boolean counting = !limits.isEmpty();
    this.requestWindow = counting ? new SlidingCounter(60_000, 12) : null;
    this.tokenWindow = counting ? new SlidingCounter(60_000, 12) : null;
  }

  /** The headers of one response or error. */
  private static final class Snapshot {
    final long remainingRequests;
    final long remainingTokens;
    final long limitRequests;
    final long limitTokens;
    final long requestsValidUntil;
    final long tokensValidUntil;
    final AtomicLong sentRequests = new AtomicLong();
    final AtomicLong sentTokens = new AtomicLong();

    Snapshot(RateLimitInfo info, long now, long validityMillis) {
      remainingRequests = info.remainingRequests().orElse(-1);
      remainingTokens = info.remainingTokens().orElse(-1);
      limitRequests = info.limitRequests().orElse(-1);
      limitTokens = info.limitTokens().orElse(-1);
      requestsValidUntil = now + info.resetRequests().map(d -> d.toMillis()).orElse(validityMillis);
      tokensValidUntil = now + info.resetTokens().map(d -> d.toMillis()).orElse(validityMillis);
    }
  }

  void onSend(long now, int estimatedTokens) {
    Snapshot s = snapshot;
    if (s != null) {
      s.sentRequests.incrementAndGet();
      s.sentTokens.addAndGet(estimatedTokens);
    }
    if (requestWindow != null) {
      requestWindow.add(now, 1);
      tokenWindow.add(now, estimatedTokens);
      if (shared != null) shared.sent(1, estimatedTokens); // counted against configured limits only
    }
  }

  /** Tokens the provider reported beyond the estimate counted at send time (output, mostly). */
  void onTokens(long now, long extraTokens) {
    if (extraTokens == 0) return;
    Snapshot s = snapshot;
    if (s != null) s.sentTokens.addAndGet(extraTokens);
    if (tokenWindow != null) {
      tokenWindow.add(now, extraTokens);
      if (shared != null) shared.sent(0, extraTokens);
    }
  }

  void onRateLimit(long now, RateLimitInfo info) {
    onRateLimit(now, info, Optional.empty());
  }

  /**
   * Headers that came with an error: without reset headers, the error's Retry-After is when the
   * provider said to come back, so the snapshot (often "0 requests remaining" on a 429) holds
   * until then rather than for a whole default minute.
   */
  void onRateLimit(long now, RateLimitInfo info, Optional<Duration> retryAfter) {
    if (info == null || !info.isKnown()) return;
    if (info.limitRequests().isEmpty() && info.remainingRequests().isPresent()) {
      learnedRequestLimit = Math.max(learnedRequestLimit, info.remainingRequests().getAsLong());
    }
    if (info.limitTokens().isEmpty() && info.remainingTokens().isPresent()) {
      learnedTokenLimit = Math.max(learnedTokenLimit, info.remainingTokens().getAsLong());
    }
    snapshot = new Snapshot(info, now, retryAfter.map(Duration::toMillis).orElse(DEFAULT_VALIDITY_MILLIS));
  }

  void onQuotaExceeded(long until) {
    if (until > exhaustedUntil) exhaustedUntil = until;
    if (shared != null) shared.quotaExhaustedUntil(until);
  }

  private long exhaustedUntil() {
    long local = exhaustedUntil;
    return shared == null ? local : Math.max(local, shared.quotaExhaustedUntil());
  }

  private long sentRequests(long now) {
    long local = requestWindow.sum(now);
    return shared == null ? local : Math.max(local, shared.requestsInLastMinute(now));
  }

  private long sentTokens(long now) {
    long local = tokenWindow.sum(now);
    return shared == null ? local : Math.max(local, shared.tokensInLastMinute(now));
  }

  long remainingRequests(long now) {
    long best = -1;
    Snapshot s = snapshot;
    if (s != null && s.remainingRequests >= 0 && now < s.requestsValidUntil) {
      best = Math.max(0, s.remainingRequests - s.sentRequests.get());
    }
    if (requestWindow != null && limits.requestsPerMinute().isPresent()) {
      long local = Math.max(0, limits.requestsPerMinute().getAsLong() - sentRequests(now));
      best = best < 0 ? local : Math.min(best, local);
    }
    return best;
  }

  long remainingTokens(long now) {
    long best = -1;
    Snapshot s = snapshot;
    if (s != null && s.remainingTokens >= 0 && now < s.tokensValidUntil) {
      best = Math.max(0, s.remainingTokens - s.sentTokens.get());
    }
    if (tokenWindow != null && limits.tokensPerMinute().isPresent()) {
      long local = Math.max(0, limits.tokensPerMinute().getAsLong() - sentTokens(now));
      best = best < 0 ? local : Math.min(best, local);
    }
    return best;
  }

  /** Why a request of about {@code tokens} tokens cannot be sent now, or null if it can. */
  String exhausted(long now, int tokens) {
    long until = exhaustedUntil();
    if (now < until) return "quota exhausted for another " + (until - now) + " ms";
    if (snapshot == null && requestWindow == null) return null;
    long requests = remainingRequests(now);
    if (requests == 0) return "quota exhausted: no requests left in the current window";
    long left = remainingTokens(now);
    if (left >= 0 && left < tokens) return "quota exhausted: ~" + left + " tokens left, request needs ~" + tokens;
    return null;
  }

  /** The fraction of quota left, the smaller of the known request and token fractions; 1 if unknown. */
  double fraction(long now) {
    if (now < exhaustedUntil()) return 0;
    if (snapshot == null && requestWindow == null) return 1;
    double f = 1;
    long rr = remainingRequests(now);
    long lr = requestLimit();
    if (rr >= 0 && lr > 0) f = Math.min(f, (double) rr / lr);
    long rt = remainingTokens(now);
    long lt = tokenLimit();
    if (rt >= 0 && lt > 0) f = Math.min(f, (double) rt / lt);
    return Math.max(0, Math.min(1, f));
  }

  private long requestLimit() {
    Snapshot s = snapshot;
    if (s != null && s.limitRequests > 0) return s.limitRequests;
    if (limits.requestsPerMinute().isPresent()) return limits.requestsPerMinute().getAsLong();
    return learnedRequestLimit;
  }

  private long tokenLimit() {
    Snapshot s = snapshot;
    if (s != null && s.limitTokens > 0) return s.limitTokens;
    if (limits.tokensPerMinute().isPresent()) return limits.tokensPerMinute().getAsLong();
    return learnedTokenLimit;
  }
}
