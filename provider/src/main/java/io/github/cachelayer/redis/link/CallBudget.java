package io.github.cachelayer.redis.link;

import java.util.concurrent.TimeUnit;

/**
 * How long one call of a cache may still wait for Redis: every command it sends, every retry,
 * fence and settling deletion draws on the same budget, so a call that Redis does not answer
 * returns within the documented bound however many steps it takes. An answer renews it: the
 * bound is on waiting for a Redis that does not answer, not on the work of one that does (a
 * compare-and-set loop that keeps conflicting is answered every round).
 *
 * <p>A call opens its budget with {@link #open}; commands sent on that thread draw on it. Nested
 * opens (a store call inside another's settling) share the outer one. Commands sent outside any
 * call (background settling and fencing) get a budget of their own.
 */
public final class CallBudget {
  private static final ThreadLocal<CallBudget> CURRENT = new ThreadLocal<>();

  private final long boundNanos;
  private long endNanos;

  private CallBudget(long boundNanos) {
    this.boundNanos = boundNanos;
    this.endNanos = System.nanoTime() + boundNanos;
  }

  /** A budget on its own, not tied to the thread. */
  static CallBudget of(long boundNanos) {
    return new CallBudget(boundNanos);
  }

  /**
   * Opens the calling thread's budget for one call, unless one is open already (then the scope
   * closes nothing). Use with try-with-resources.
   */
  public static Scope open(long boundNanos) {
    if (CURRENT.get() != null) {
      return Scope.NESTED;
    }
    CURRENT.set(new CallBudget(boundNanos));
    return Scope.OUTER;
  }

  /** The thread's open budget, or a fresh one of {@code boundNanos}. */
  static CallBudget current(long boundNanos) {
    CallBudget budget = CURRENT.get();
    return budget != null ? budget : new CallBudget(boundNanos);
  }

  /** Nanoseconds left, never below zero. */
  long remainingNanos() {
    return Math.max(0, endNanos - System.nanoTime());
  }

  boolean isSpent() {
    return endNanos - System.nanoTime() <= 0;
  }

  /** How long the next wait may take: the command timeout, or what is left if less. */
  long waitNanos(long timeoutNanos) {
    return Math.min(timeoutNanos, remainingNanos());
  }

  /** Redis answered: the bound counts again from now. */
  void answered() {
    endNanos = System.nanoTime() + boundNanos;
  }

  /** Sleeps {@code nanos}, or what is left if less; false if nothing was left. */
  boolean pause(long nanos) {
    long sleep = Math.min(nanos, remainingNanos());
    if (sleep <= 0) {
      return false;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  /** Closes the thread's budget if this scope opened it. */
  public enum Scope implements AutoCloseable {
    OUTER, NESTED;

    @Override
    public void close() {
      if (this == OUTER) {
        // Cleared, not removed: remove() and the next call's set() cost a map entry per call.
        // The entry holds nothing (its key is weak, its value null), so it pins no class loader.
        CURRENT.set(null);
      }
    }
  }
}
