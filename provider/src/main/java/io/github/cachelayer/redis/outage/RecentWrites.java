package io.github.cachelayer.redis.outage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The keys this store wrote lately. Redis acknowledges a write before a replica or the disk has
 * it (asynchronous replication; {@code appendfsync everysec}), so a failover or a crash can bring
 * back an older value of a key written just before: a stale read like the ones the unsettled keys
 * prevent, of a write that succeeded. When Redis fails, the keys written within the window before
 * are settled too, and if more were written than this ring holds, the whole cache is.
 */
public final class RecentWrites {
  static final int CAPACITY = 16_384;
  private static final int MASK = CAPACITY - 1;

  private record Written(String key, long nanos) {}

  private final AtomicReferenceArray<Written> ring = new AtomicReferenceArray<>(CAPACITY);
  private final AtomicLong next = new AtomicLong();
  private final long windowNanos;
  /** The ring position of the last sweep: nothing new to settle if no write came since. */
  private volatile long sweptAt = -1;

  /** @param windowNanos how far back before a failure a write may still be lost */
  public RecentWrites(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  public void add(String key) {
    ring.lazySet((int) (next.getAndIncrement() & MASK), new Written(key, System.nanoTime()));
  }

  /**
   * After a failure: hands the keys written within the window to {@code unsettled}, or asks it
   * to clear the cache when the ring has been overwritten within the window.
   */
  public void settleAfterFailure(UnsettledKeys unsettled) {
    long position = next.get();
    if (position == sweptAt) {
      return;
    }
    sweptAt = position;
    long since = System.nanoTime() - windowNanos;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < CAPACITY; i++) {
      Written written = ring.get(i);
      if (written != null && written.nanos() - since >= 0) {
        keys.add(written.key());
      }
    }
    if (position > CAPACITY && keys.size() == CAPACITY) {
      unsettled.clearOnRecovery(); // every slot is recent: older recent writes were overwritten
    } else if (!keys.isEmpty()) {
      unsettled.add(keys);
    }
  }
}
