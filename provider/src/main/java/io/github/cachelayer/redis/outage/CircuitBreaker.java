package io.github.cachelayer.redis.outage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops calling a Redis that does not answer: after {@code failures} calls in a row failed for
 * want of an answer (a timeout, a refused or lost connection), every call fails at once for the
 * open period; then one call goes through as a probe, and its success closes the breaker, its
 * failure opens it again for twice as long (up to {@link #MAX_OPEN_NANOS}). So an outage costs a
 * caller microseconds per call, not a timeout each. An error reply (the server answered) counts
 * as an answer. One breaker per Redis client, shared by its caches.
 */
public final class CircuitBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
  /** The longest open period: a Redis back after a long outage is used again within this. */
  static final long MAX_OPEN_NANOS = TimeUnit.SECONDS.toNanos(4);

  private final int threshold;
  private final long firstOpenNanos;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  /** System.nanoTime until which calls fail at once; 0 while closed. */
  private volatile long openUntil;
  private volatile long openNanos;

  /**
   * @param failures calls in a row without an answer that open the breaker; 0 disables it
   * @param openMillis how long it first stays open
   */
  public CircuitBreaker(int failures, long openMillis) {
    this.threshold = failures;
    this.firstOpenNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, openMillis));
    this.openNanos = firstOpenNanos;
  }

  /** A breaker that never opens (it keeps no state, so one serves every caller). */
  public static CircuitBreaker disabled() {
    return NEVER_OPENS;
  }

  private static final CircuitBreaker NEVER_OPENS = new CircuitBreaker(0, 1);

  /** Whether a call may go to Redis now (closed, or the one probe after an open period). */
  boolean admit() {
    long until = openUntil;
    if (until == 0) {
      return true;
    }
    return System.nanoTime() - until >= 0 && probing.compareAndSet(false, true);
  }

  /** Whether calls fail at once now, or a probe is due (calls wait for it to be sent). */
  public boolean isOpen() {
    return openUntil != 0;
  }

  /** How long calls will still fail at once, in milliseconds (0 when a probe is due). */
  public long remainingOpenMillis() {
    long until = openUntil;
    return until == 0 ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
  }

  /** Called after every call that got an answer: reads only, unless there is state to reset. */
  void answered() {
    if (failuresInARow.get() != 0) {
      failuresInARow.set(0);
    }
    if (openUntil != 0) {
      openUntil = 0;
      openNanos = firstOpenNanos;
      LOG.info("Redis answers again: calls go through");
    }
    if (probing.get()) {
      probing.set(false);
    }
  }

  void noAnswer() {
    if (threshold <= 0) {
      return;
    }
    boolean wasProbe = probing.get();
    if (failuresInARow.incrementAndGet() >= threshold || wasProbe) {
      long open = openNanos;
      if (wasProbe) {
        open = Math.min(Math.max(MAX_OPEN_NANOS, firstOpenNanos), open * 2);
        openNanos = open;
      } else if (openUntil == 0) {
        LOG.warn("Redis did not answer {} calls in a row: calls fail at once for {} ms, then "
            + "one probes", failuresInARow.get(), TimeUnit.NANOSECONDS.toMillis(open));
      }
      openUntil = System.nanoTime() + open;
      probing.set(false);
    }
  }
}
