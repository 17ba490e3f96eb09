package io.github.cachelayer.redis.store;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-key queues for the compare-and-set path of one store in this JVM: locks striped by key
 * (a stripe may be shared by a few keys), each remembering the last entry bytes a holder wrote.
 * Taken by writers only under contention, so uncontended keys never wait on each other.
 */
final class HotKeys {
  /** What {@link Stripe#remembered} answers when it holds nothing for the key. */
  static final byte[] UNKNOWN = new byte[0];
  private static final int STRIPES = 256;
  /** How long a key stays hot after contention was last seen on it. */
  static final long HOT_NANOS = 50_000_000L;

  private final Stripe[] stripes = new Stripe[STRIPES];

  HotKeys() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  Stripe stripe(String redisKey) {
    int hash = redisKey.hashCode();
    return stripes[(hash ^ (hash >>> 16)) & (STRIPES - 1)];
  }

  /** A lock, what the last holder wrote, and the decisions waiting to be combined. */
  static final class Stripe {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Seen seen;
    /** Decisions queued for whichever thread holds the lock next ({@link CombinedWrites}). */
    final ConcurrentLinkedQueue<CombinedWrites.Pending<?, ?, ?>> queued =
        new ConcurrentLinkedQueue<>();

    /** Until when (System.nanoTime) the stripe counts as hot after its last sign of contention. */
    private volatile long hotUntil;

    /** Whether a writer holds this stripe now. */
    boolean isContended() {
      return lock.isLocked();
    }

    /** Whether this stripe is held, or saw contention within {@link #HOT_NANOS}. */
    boolean isHot() {
      return lock.isLocked() || System.nanoTime() - hotUntil < 0;
    }

    /** A conflict, or a combined batch of more than one: stay hot a little longer. */
    void markHot() {
      hotUntil = System.nanoTime() + HOT_NANOS;
    }

    boolean tryLock() {
      return lock.tryLock();
    }

    void lock() {
      lock.lock();
    }

    /** Releases the lock and wakes the thread of the first queued decision, to combine next. */
    void unlock() {
      lock.unlock();
      CombinedWrites.Pending<?, ?, ?> next = queued.peek();
      if (next != null) {
        LockSupport.unpark(next.thread);
      }
    }

    /** The entry bytes last written under this stripe for {@code key} (null: deleted). */
    byte[] remembered(String key) {
      Seen last = seen;
      return last != null && last.key.equals(key) ? last.bytes : UNKNOWN;
    }

    void remember(String key, byte[] bytes) {
      seen = new Seen(key, bytes);
    }
  }

  private record Seen(String key, byte[] bytes) {}
}
