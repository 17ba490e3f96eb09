package io.github.cachelayer.cache;

import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.util.Clock;
import java.util.Objects;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * Turns a cache's {@link ExpiryPolicy} into absolute expiry times. Each method calls exactly one
 * policy method, and only when the operation is of that kind (the TCK counts the calls).
 * A policy that throws is treated as the specification says: creation falls back to eternal,
 * update and access leave the expiry time unchanged.
 */
final class ExpiryTimes {
  private final ExpiryPolicy policy;
  private final boolean accessKeepsExpiry;
  private final EntryCommand.Durations durations;

  ExpiryTimes(ExpiryPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "expiry policy");
    this.durations = specDurations(policy);
    // Eternal, Created and Modified answer null for access: reads need not touch entries.
    this.accessKeepsExpiry = durations != null
        && durations.access() == EntryCommand.Durations.UNCHANGED;
  }

  /**
   * The durations of the specification's own policies, which are constants: a store may then
   * apply them on its server without calling the policy at operation time. Null for any other
   * policy (its methods must be called, each exactly when the specification says).
   */
  private static EntryCommand.Durations specDurations(ExpiryPolicy policy) {
    Class<?> type = policy.getClass();
    long unchanged = EntryCommand.Durations.UNCHANGED;
    if (type == EternalExpiryPolicy.class) {
      return new EntryCommand.Durations(EntryCommand.Durations.ETERNAL, unchanged, unchanged);
    }
    boolean created = type == CreatedExpiryPolicy.class;
    boolean accessed = type == AccessedExpiryPolicy.class;
    boolean modified = type == ModifiedExpiryPolicy.class;
    boolean touched = type == TouchedExpiryPolicy.class;
    if (!(created || accessed || modified || touched)) {
      return null;
    }
    long duration = millis(policy.getExpiryForCreation());
    return new EntryCommand.Durations(duration,
        modified || touched ? duration : unchanged,
        accessed || touched ? duration : unchanged);
  }

  private static long millis(Duration duration) {
    return duration == null || duration.isEternal() ? EntryCommand.Durations.ETERNAL
        : duration.getTimeUnit().toMillis(duration.getDurationAmount());
  }

  /** Constant durations for a server-side decision, or null when the policy must be called. */
  EntryCommand.Durations durations() {
    return durations;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** False only for an eternal policy: then no entry ever expires, nothing needs bookkeeping. */
  boolean entriesExpire() {
    return durations == null || durations.creation() != EntryCommand.Durations.ETERNAL
        || durations.update() >= 0 || durations.access() >= 0;
  }

  /** True when a read never changes an entry's expiry, so a hit needs no write. */
  boolean accessKeepsExpiry() {
    return accessKeepsExpiry;
  }

  long creation(Clock now) {
    Duration duration;
    try {
      duration = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      duration = Duration.ETERNAL;
    }
    return duration == null ? StoredEntry.ETERNAL : expireAt(duration, now);
  }

  long update(Clock now, long current) {
    try {
      Duration duration = policy.getExpiryForUpdate();
      return duration == null ? current : expireAt(duration, now);
    } catch (RuntimeException e) {
      return current;
    }
  }

  long access(Clock now, long current) {
    try {
      Duration duration = policy.getExpiryForAccess();
      return duration == null ? current : expireAt(duration, now);
    } catch (RuntimeException e) {
      return current;
    }
  }

  /** The expiry time a duration gives; the clock is read only for a finite duration. */
  private static long expireAt(Duration duration, Clock clock) {
    if (duration.isEternal()) {
      return StoredEntry.ETERNAL;
    }
    long now = clock.millis();
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    return millis >= StoredEntry.ETERNAL - now ? StoredEntry.ETERNAL : now + millis;
  }
}
