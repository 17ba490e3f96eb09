package io.github.cachelayer.redis.outage;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.redis.link.CallBudget;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.util.Background;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys whose operation failed while Redis could not be reached, so that what Redis holds for them
 * is unknown: the write may have been lost, or applied before the connection broke. Persisted
 * data makes this a stale read waiting to happen (Redis restarted with the value the application
 * believed it had replaced or removed). Such keys are deleted before this store reads or writes
 * anything again, and in the background once a second until Redis answers, so a cache in front of
 * a database misses and reloads instead of serving the old value.
 *
 * <p>Held per store in memory, bounded: past {@link #MAX_KEYS} the whole cache is cleared on
 * recovery instead.
 *
 * <p>The deletion waits until the link has fenced every connection that stopped answering
 * ({@link RedisLink#awaitFences}): a failed write still held up in the network could otherwise
 * run after the deletion and bring its value back. Like any call, settling draws on the calling
 * thread's budget, so a call that settles first still returns within one bound.
 */
public final class UnsettledKeys {
  private static final Logger LOG = LoggerFactory.getLogger(UnsettledKeys.class);
  static final int MAX_KEYS = 100_000;
  private static final int PER_CALL = 1_000;

  private final RedisLink link;
  private final String cacheName;
  private final Runnable clearCache;
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private volatile boolean overflowed;
  private ScheduledFuture<?> retry;
  private boolean closed;
  /** Held while one thread deletes the keys (a caller, or the background retry). */
  private final ReentrantLock settling = new ReentrantLock();
  /** Whether the last deletion under {@link #settling} reached Redis (guarded by it). */
  private boolean lastSettleAnswered = true;

  public UnsettledKeys(RedisLink link, String cacheName, Runnable clearCache) {
    this.link = link;
    this.cacheName = cacheName;
    this.clearCache = clearCache;
  }

  /** The keys waiting to be deleted (a view). */
  Set<String> pending() {
    return java.util.Collections.unmodifiableSet(keys);
  }

  public boolean isEmpty() {
    return keys.isEmpty() && !overflowed;
  }

  /** Remembers keys an operation failed on, and starts retrying their deletion. */
  public void add(Collection<String> redisKeys) {
    if (keys.size() + redisKeys.size() > MAX_KEYS) {
      if (!overflowed) {
        LOG.error("Cache '{}': more than {} keys failed while Redis was unreachable; the whole "
            + "cache will be cleared when Redis answers again", cacheName, MAX_KEYS);
      }
      overflowed = true;
    } else {
      keys.addAll(redisKeys);
    }
    scheduleRetry();
  }

  /** The cache was to be cleared and Redis did not answer: clear it all once it does. */
  public void clearOnRecovery() {
    overflowed = true;
    scheduleRetry();
  }

  private synchronized void scheduleRetry() {
    if (retry == null && !closed) {
      retry = Background.every(this::settleQuietly, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void settleQuietly() {
    try (CallBudget.Scope scope = CallBudget.open(link.settings().boundNanos())) {
      settle();
    } catch (RuntimeException stillDown) {
      // Tried again in a second.
    }
  }

  /**
   * Deletes the unsettled keys (or clears the cache after an overflow); throws the client's
   * exception if Redis still does not answer. Cheap when there is nothing to settle. A caller
   * that finds another thread settling waits for it, and fails at once if Redis did not answer
   * that thread, rather than spending a second timeout on the same keys: a call stays within one
   * bound. If Redis answered it and keys came meanwhile (other calls failed or were refused while
   * it ran, as under load at the end of an outage), the caller deletes those itself: failing then
   * would count as Redis not answering, reopen the circuit breaker, and keep a recovered Redis
   * refused for seconds (a run under load once took 9 s to serve again).
   */
  public void settle() {
    if (isEmpty()) {
      return;
    }
    if (!settling.tryLock()) {
      settling.lock();
      try {
        if (isEmpty()) {
          return;
        }
        if (!lastSettleAnswered) {
          throw new RedisUnavailableException("Redis failed an operation of cache '" + cacheName
              + "': Redis did not answer the deletion of keys whose writes failed earlier", null);
        }
        settleLocked();
        return;
      } finally {
        settling.unlock();
      }
    }
    try {
      settleLocked();
    } finally {
      settling.unlock();
    }
  }

  /** The deletion itself, under {@link #settling}. */
  private void settleLocked() {
    lastSettleAnswered = false;
    link.awaitFences();
    if (overflowed) {
      clearCache.run();
      overflowed = false;
      keys.clear();
    }
    List<String> batch = new ArrayList<>(PER_CALL);
    for (String key : keys) {
      batch.add(key);
      if (batch.size() == PER_CALL) {
        unlink(batch);
      }
    }
    unlink(batch);
    lastSettleAnswered = true;
    if (keys.isEmpty() && !overflowed) {
      stopRetrying();
      LOG.info("Cache '{}': keys whose writes failed during the Redis outage were deleted",
          cacheName);
    }
  }

  private synchronized void stopRetrying() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }

  private void unlink(List<String> batch) {
    if (!batch.isEmpty()) {
      link.unlink(batch);
      batch.forEach(keys::remove);
      batch.clear();
    }
  }

  public void close() {
    synchronized (this) {
      closed = true;
    }
    stopRetrying();
  }
}
