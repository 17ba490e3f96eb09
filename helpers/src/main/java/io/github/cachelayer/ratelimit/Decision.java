package io.github.cachelayer.ratelimit;

import java.io.Serializable;
import java.time.Duration;

/**
 * The answer to one {@link RateLimiter#tryAcquire}: whether the permits were granted, how many
 * remain, and when a denied caller may try again (for a 429's {@code Retry-After}).
 *
 * @param allowed whether the permits were granted (and counted)
 * @param limit the most the rule ever grants at once (the window's limit, the bucket's capacity)
 * @param remaining the permits still available now, after this acquisition when allowed
 * @param retryAfter how long until the same request would be granted; zero when allowed
 */
public record Decision(boolean allowed, long limit, long remaining, Duration retryAfter)
    implements Serializable {

  /** {@link #retryAfter} in whole seconds, rounded up, as HTTP's {@code Retry-After} wants. */
  public long retryAfterSeconds() {
    long millis = retryAfter.toMillis();
    return millis <= 0 ? 0 : (millis + 999) / 1_000;
  }
}
