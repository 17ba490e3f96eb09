package io.github.cachelayer.ratelimit;

import io.github.cachelayer.helpers.Caches;
import java.time.Clock;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * Counts requests per key against a {@link RateLimit}, atomically across every JVM that shares
 * the cache: each {@link #tryAcquire} is one {@code Cache.invoke} of {@link AcquirePermits}, so it
 * is exact wherever the provider's {@code invoke} is atomic, and one round trip on CacheLayer's
 * Redis store.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.create(cacheManager, "rate",
 *     RateLimit.fixedWindow(100, Duration.ofMinutes(1)));
 * Decision decision = limiter.tryAcquire(userId + ":" + endpoint);
 * if (!decision.allowed()) {
 *   // 429 Too Many Requests, Retry-After: decision.retryAfterSeconds()
 * }
 * }</pre>
 *
 * Keys are the caller's ({@code user:endpoint}); the fixed window appends the window number, as
 * the original {@code rate:{user}:{endpoint}:{minute}} did. States expire on their own after
 * {@link RateLimit#stateLifetime}, so distinct keys do not accumulate.
 */
public final class RateLimiter {
  private final Cache<String, LimiterState> cache;
  private final RateLimit rule;
  private final Clock clock;

  private RateLimiter(Cache<String, LimiterState> cache, RateLimit rule, Clock clock) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A limiter over the cache {@code cacheName} of {@code manager}, created with
   * {@link RateLimit#configuration} when missing. Use one cache per rule: a key's state means
   * something only to the rule that wrote it.
   */
  public static RateLimiter create(CacheManager manager, String cacheName, RateLimit rule) {
    return create(manager, cacheName, rule, Clock.systemUTC());
  }

  /** As {@link #create(CacheManager, String, RateLimit)}, deciding on {@code clock}'s time. */
  public static RateLimiter create(CacheManager manager, String cacheName, RateLimit rule,
      Clock clock) {
    Objects.requireNonNull(rule, "rule");
    return new RateLimiter(Caches.getOrCreate(manager, cacheName, rule.configuration()), rule,
        clock);
  }

  /**
   * A limiter over a cache the caller configured; give it an expiry policy like
   * {@link RateLimit#configuration}'s, or states never leave it.
   */
  public static RateLimiter over(Cache<String, LimiterState> cache, RateLimit rule, Clock clock) {
    return new RateLimiter(cache, rule, clock);
  }

  /** Takes one permit for {@code key} if the limit allows. */
  public Decision tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  /**
   * Takes {@code permits} for {@code key} if the limit allows all of them; a denial takes none.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit
   * @throws NullPointerException if {@code key} is null
   */
  public Decision tryAcquire(String key, long permits) {
    Objects.requireNonNull(key, "key");
    if (permits < 1 || permits > rule.limit()) {
      throw new IllegalArgumentException("permits must be between 1 and the limit "
          + rule.limit() + ", was " + permits);
    }
    long now = clock.millis();
    return cache.invoke(rule.cacheKey(key, now), new AcquirePermits(rule, permits, now));
  }

  /** Forgets {@code key}'s count (for example after a successful login). */
  public void reset(String key) {
    cache.remove(rule.cacheKey(Objects.requireNonNull(key, "key"), clock.millis()));
  }

  public RateLimit rule() {
    return rule;
  }

  public Cache<String, LimiterState> cache() {
    return cache;
  }
}
