package io.github.cachelayer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A cache's near cache: a local copy of the entries this JVM read, invalidated by Redis itself
 * when any client changes them (see {@code io.github.cachelayer.redis.near}).
 *
 * @param maximumSize the most entries the local copy holds
 * @param ttl how long a local copy may be served at most, whatever the invalidations say: the
 *     bound on staleness should an invalidation ever be lost
 */
public record NearCacheSettings(long maximumSize, Duration ttl) {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  public NearCacheSettings {
    if (maximumSize <= 0) {
      throw new IllegalArgumentException("a near cache needs a positive maximum size: "
          + maximumSize);
    }
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a near cache's ttl must be positive: " + ttl);
    }
  }
}
