package io.github.cachelayer.redis.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.cache.CacheException;

/**
 * The conflicts one compare-and-set operation meets. After {@link #CLAIM_AFTER} in a row it
 * claims the entry (compare-and-set.lua): on a hot key the JVM whose write was just answered
 * sends the next one first, so without a claim another JVM's writer can lose every round. Between
 * attempts it backs off, unless it holds the claim; it gives up only after
 * {@link #GIVE_UP_NANOS} of conflicts.
 */
final class Conflicts {
  /** Conflicts in a row after which a writer claims the entry. */
  static final int CLAIM_AFTER = 3;
  /** How long a claim lasts unless its holder renews it (a dead holder blocks nobody longer). */
  static final long CLAIM_MILLIS = 250;
  /** How long an operation keeps deciding again before it fails. */
  static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Claim tokens: unique across JVMs, cheap within one. */
  private static final String JVM_TOKEN = UUID.randomUUID().toString();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final String cacheName;
  private int count;
  private long firstNanos;
  private String token = "";
  private Claim claim = Claim.NONE;

  /** Who holds the entry's claim, as the last compare-and-set answered. */
  enum Claim { NONE, MINE, OTHER }

  Conflicts(String cacheName) {
    this.cacheName = cacheName;
  }

  /** This operation's claim token for compare-and-set.lua, '' while it claims nothing. */
  String token() {
    return token;
  }

  /** What the last compare-and-set said of the entry's claim. */
  void claimed(Claim claim) {
    this.claim = claim;
  }

  /** Whether the last compare-and-set left this operation holding the entry's claim. */
  boolean holdsClaim() {
    return claim == Claim.MINE;
  }

  /** One more conflict: throws if the operation has been deciding for too long, else waits. */
  void record() {
    count++;
    long now = System.nanoTime();
    if (count == 1) {
      firstNanos = now;
    } else if (now - firstNanos > GIVE_UP_NANOS) {
      throw new CacheException("Gave up on a key of cache '" + cacheName + "' after " + count
          + " conflicting concurrent updates in "
          + TimeUnit.NANOSECONDS.toSeconds(now - firstNanos) + " s");
    }
    if (count >= CLAIM_AFTER && token.isEmpty()) {
      token = JVM_TOKEN + ':' + SEQUENCE.incrementAndGet();
    }
    if (claim == Claim.MINE || (claim == Claim.NONE && count <= CLAIM_AFTER)) {
      Thread.onSpinWait(); // the others wait for this writer, or it has barely begun
    } else {
      // A short random pause spreads the writers that wait for another's claim.
      long maxMicros = Math.min(1_000, 10L << Math.min(count, 10));
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros) * 1_000);
    }
  }
}
