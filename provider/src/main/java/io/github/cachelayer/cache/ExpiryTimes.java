package io.github.cachelayer.cache;

import io.github.cachelayer.store.StoredEntry;
import java.util.Objects;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;

/**
 * Turns a cache's {@link ExpiryPolicy} into absolute expiry times. Each method calls exactly one
 * policy method, and only when the operation is of that kind (the TCK counts the calls).
 * A policy that throws is treated as the specification says: creation falls back to eternal,
 * update and access leave the expiry time unchanged.
 */
final class ExpiryTimes {
  private final ExpiryPolicy policy;
  private final boolean accessKeepsExpiry;

  ExpiryTimes(ExpiryPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "expiry policy");
    // The specification's own policies answer null for access: reads need not touch entries.
    Class<?> type = policy.getClass();
    this.accessKeepsExpiry = type == EternalExpiryPolicy.class
        || type == CreatedExpiryPolicy.class || type == ModifiedExpiryPolicy.class;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** True when a read never changes an entry's expiry, so a hit needs no write. */
  boolean accessKeepsExpiry() {
    return accessKeepsExpiry;
  }

  long creation(long now) {
    Duration duration;
    try {
      duration = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      duration = Duration.ETERNAL;
    }
    return duration == null ? StoredEntry.ETERNAL : expireAt(duration, now);
  }

  long update(long now, long current) {
    try {
      Duration duration = policy.getExpiryForUpdate();
      return duration == null ? current : expireAt(duration, now);
    } catch (RuntimeException e) {
      return current;
    }
  }

  long access(long now, long current) {
    try {
      Duration duration = policy.getExpiryForAccess();
      return duration == null ? current : expireAt(duration, now);
    } catch (RuntimeException e) {
      return current;
    }
  }

  private static long expireAt(Duration duration, long now) {
    if (duration.isEternal()) {
      return StoredEntry.ETERNAL;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    return millis >= StoredEntry.ETERNAL - now ? StoredEntry.ETERNAL : now + millis;
  }
}
