package io.github.cachelayer.ratelimit;

import java.io.Serializable;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * The one atomic step of {@link RateLimiter#tryAcquire}: read the key's state, decide, write the
 * new state when permits were granted. Runs through {@code Cache.invoke}, so it is exact on any
 * provider whose {@code invoke} is atomic; CacheLayer's Redis store runs it as {@code
 * ratelimit.lua} on the server (one round trip) and replays it here for the answer.
 *
 * @param rule the limit
 * @param permits how many permits to take (1 or more, at most the limit)
 * @param now the decision's time, epoch milliseconds of the limiter's clock
 */
public record AcquirePermits(RateLimit rule, long permits, long now)
    implements EntryProcessor<String, LimiterState, Decision>, Serializable {

  @Override
  public Decision process(MutableEntry<String, LimiterState> entry, Object... arguments) {
    LimiterState current = entry.exists() ? entry.getValue() : null;
    RateLimit.Outcome outcome = rule.decide(current, permits, now);
    if (outcome.next() != null) {
      entry.setValue(outcome.next());
    }
    return outcome.decision();
  }
}
