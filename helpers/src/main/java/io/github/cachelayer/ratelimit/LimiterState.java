package io.github.cachelayer.ratelimit;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a rate limiter keeps per key: a few counters whose meaning depends on the
 * {@link RateLimit}'s algorithm (fixed window: the count; sliding window: the newest slot and
 * one count per slot; token bucket: the tokens, in units of 1/period, and when they were
 * counted). Immutable. CacheLayer's Redis store writes it as plain ASCII numbers, so that its
 * script can update it on the server.
 */
public final class LimiterState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] values;

  public LimiterState(long... values) {
    this.values = values.clone();
  }

  public int size() {
    return values.length;
  }

  public long get(int index) {
    return values[index];
  }

  public long[] toArray() {
    return values.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LimiterState state && Arrays.equals(values, state.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "LimiterState" + Arrays.toString(values);
  }
}
