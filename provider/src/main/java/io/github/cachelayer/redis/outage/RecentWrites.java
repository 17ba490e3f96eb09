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
 *
 * <p>"Before" means before the failure was noticed, not before the thread that met it sweeps:
 * a thread that failed with a connection the link retired may run long after another thread has
 * written the key again on a new connection, and that write, made after the failure, must stay.
 * A write is recorded when it is sent, so one acknowledged before a failure is always in the ring
 * by the time the failure is noticed.
 */
public final class RecentWrites {
  static final int CAPACITY = 16_384;
  private static final int MASK = CAPACITY - 1;

  private record Written(String key, long nanos) {}

  private final AtomicReferenceArray<Written> ring = new AtomicReferenceArray<>(CAPACITY);
  private final AtomicLong next = new AtomicLong();
  private final long windowNanos;
  /** The ring position of the last sweep: nothing new to settle if no write came since... */
  private long sweptAt = -1;
  /** ...and no later failure, if the last sweep left out writes made after its failure. */
  private long sweptUntilNanos;
  private boolean leftOut;

  /** @param windowNanos how far back before a failure a write may still be lost */
  public RecentWrites(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** Records a write about to be sent. */
  public void add(String key) {
    ring.set((int) (next.getAndIncrement() & MASK), new Written(key, System.nanoTime()));
  }

  /**
   * After a failure noticed at {@code noticedNanos} ({@link System#nanoTime}): hands the keys
   * written within the window before it to {@code unsettled}, or asks it to clear the cache when
   * the ring has been overwritten within the window. Serialized: during an outage every failing
   * call comes here, and all but the first find nothing new.
   */
  public synchronized void settleAfterFailure(UnsettledKeys unsettled, long noticedNanos) {
    long position = next.get();
    if (position == sweptAt && (!leftOut || noticedNanos - sweptUntilNanos <= 0)) {
      return;
    }
    sweptAt = position;
    sweptUntilNanos = noticedNanos;
    leftOut = false;
    long since = noticedNanos - windowNanos;
    List<String> keys = new ArrayList<>();
    int recent = 0;
    for (int i = 0; i < CAPACITY; i++) {
      Written written = ring.get(i);
      if (written != null && written.nanos() - since >= 0) {
        recent++;
        if (written.nanos() - noticedNanos <= 0) {
          keys.add(written.key());
        } else {
          leftOut = true;
        }
      }
    }
    if (position > CAPACITY && recent == CAPACITY) {
      unsettled.clearOnRecovery(); // every slot is recent: older recent writes were overwritten
    } else if (!keys.isEmpty()) {
      unsettled.add(keys);
    }
  }
}
