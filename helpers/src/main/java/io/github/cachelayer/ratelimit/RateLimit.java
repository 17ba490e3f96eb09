package io.github.cachelayer.ratelimit;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;

/**
 * A limit and the algorithm that enforces it. Immutable; the decision ({@link #decide}) is a pure
 * function of the stored state, the permits asked for and the time, written once here (CacheLayer's
 * {@code ratelimit.lua} is its port to the server, held to it by a differential test).
 *
 * <p>Every algorithm is exact: no interval of a window's length ever sees more grants than the
 * limit, and a denial counts nothing. Numbers stay below 2<sup>52</sup> so that the Lua port
 * (whose numbers are doubles) computes the same.
 */
public final class RateLimit implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Products of limit and period must stay exact in a double. */
  private static final long MAX_UNITS = 1L << 50;
  private static final int DEFAULT_SLOTS = 10;

  /** How the limit is enforced. */
  public enum Algorithm {
    /**
     * At most {@code limit} per calendar window ({@code now / window}), as the original design's
     * {@code rate:{user}:{endpoint}:{window}} counter: the state holds the window's number and
     * its count. A burst of twice the limit can straddle a window boundary.
     */
    FIXED_WINDOW,
    /**
     * At most {@code limit} in any interval of the window's length: counts per slot (a tenth of
     * the window by default), and a request counts every slot that overlaps the last window, so
     * it may be denied up to one slot early but never admitted over the limit.
     */
    SLIDING_WINDOW,
    /** A bucket of {@code limit} tokens (the burst), refilled continuously at a fixed rate. */
    TOKEN_BUCKET
  }

  private final Algorithm algorithm;
  private final long limit;
  /** The window, or the refill period of the token bucket. */
  private final long periodMillis;
  /** Token bucket: tokens added per period. */
  private final long refillPermits;
  /** Sliding window: slots per window. */
  private final int slots;

  private RateLimit(Algorithm algorithm, long limit, long periodMillis, long refillPermits,
      int slots) {
    this.algorithm = algorithm;
    this.limit = limit;
    this.periodMillis = periodMillis;
    this.refillPermits = refillPermits;
    this.slots = slots;
  }

  /** At most {@code limit} permits per window, counted as the original's INCR + EXPIRE did. */
  public static RateLimit fixedWindow(long limit, Duration window) {
    return new RateLimit(Algorithm.FIXED_WINDOW, positive("limit", limit),
        period("window", window, 0), 0, 0);
  }

  /** At most {@code limit} permits in any interval of {@code window}, ten slots per window. */
  public static RateLimit slidingWindow(long limit, Duration window) {
    return slidingWindow(limit, window, DEFAULT_SLOTS);
  }

  /**
   * At most {@code limit} permits in any interval of {@code window}; more slots deny less early
   * and store more counters (one per slot).
   */
  public static RateLimit slidingWindow(long limit, Duration window, int slots) {
    if (slots < 1 || slots > 1_000) {
      throw new IllegalArgumentException("slots must be between 1 and 1000, was " + slots);
    }
    long millis = period("window", window, 0);
    if (millis < slots) {
      throw new IllegalArgumentException("window " + window + " is shorter than " + slots
          + " slots of one millisecond");
    }
    return new RateLimit(Algorithm.SLIDING_WINDOW, positive("limit", limit), millis, 0, slots);
  }

  /**
   * A bucket holding up to {@code capacity} permits (the burst), to which {@code refillPermits}
   * are added every {@code refillPeriod}, continuously (a tenth of them every tenth of it).
   */
  public static RateLimit tokenBucket(long capacity, long refillPermits, Duration refillPeriod) {
    positive("capacity", capacity);
    positive("refillPermits", refillPermits);
    long millis = period("refillPeriod", refillPeriod, capacity);
    return new RateLimit(Algorithm.TOKEN_BUCKET, capacity, millis, refillPermits, 0);
  }

  private static long positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }

  /** @param limit a token bucket's capacity, whose product with the period must stay exact */
  private static long period(String name, Duration period, long limit) {
    Objects.requireNonNull(period, name);
    if (period.isNegative() || period.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, was " + period);
    }
    long millis = period.toMillis();
    if (limit > 0 && millis > MAX_UNITS / limit) {
      throw new IllegalArgumentException("capacity " + limit + " over " + period
          + " is too large: their product must stay below 2^50");
    }
    return millis;
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  /** The most permits granted at once: the window's limit, or the bucket's capacity. */
  public long limit() {
    return limit;
  }

  /** The window, or the token bucket's refill period. */
  public Duration period() {
    return Duration.ofMillis(periodMillis);
  }

  /** Token bucket: permits added per period (0 for the windows). */
  public long refillPermits() {
    return refillPermits;
  }

  /** Sliding window: slots per window (0 for the others). */
  public int slots() {
    return slots;
  }

  /**
   * The cache key of {@code key}: the key itself, for every algorithm. (The fixed window's
   * state carries its window's number rather than the key: one key per user then serves every
   * window, whatever clock each JVM has.)
   */
  public String cacheKey(String key, long now) {
    return key;
  }

  /**
   * How long a key's state matters after its last grant: past it the state equals no state, so
   * its entry may expire. The cache's expiry policy is set from it ({@link #configuration}).
   */
  public Duration stateLifetime() {
    return Duration.ofMillis(switch (algorithm) {
      case FIXED_WINDOW -> periodMillis;
      case SLIDING_WINDOW -> periodMillis + slotMillis();
      case TOKEN_BUCKET -> ceilDiv(limit * periodMillis, refillPermits);
    });
  }

  /**
   * A configuration for this rule's cache: string keys, {@link LimiterState} values, expiry
   * {@link #stateLifetime} after the last grant (a state then lives at least until its window
   * ends), so that millions of distinct keys do not keep memory.
   */
  public MutableConfiguration<String, LimiterState> configuration() {
    javax.cache.expiry.Duration lifetime = new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS,
        stateLifetime().toMillis());
    return new MutableConfiguration<String, LimiterState>()
        .setTypes(String.class, LimiterState.class)
        .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new ModifiedExpiryPolicy(lifetime)));
  }

  /** A decision and the state to store, null when nothing changes (a denial). */
  public record Outcome(LimiterState next, Decision decision) {}

  /**
   * Decides a request for {@code permits} at {@code now} on {@code state} (null when the key has
   * none; a state of another shape, left by another rule, counts as none).
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit
   */
  public Outcome decide(LimiterState state, long permits, long now) {
    if (permits < 1 || permits > limit) {
      throw new IllegalArgumentException("permits must be between 1 and the limit " + limit
          + ", was " + permits);
    }
    return switch (algorithm) {
      case FIXED_WINDOW -> fixed(state, permits, now);
      case SLIDING_WINDOW -> sliding(state, permits, now);
      case TOKEN_BUCKET -> bucket(state, permits, now);
    };
  }

  /** State: the window's number and its count. */
  private Outcome fixed(LimiterState state, long permits, long now) {
    long window = Math.floorDiv(now, periodMillis);
    long count = 0;
    if (state != null && state.size() == 2) {
      // A clock behind the last writer's decides in the writer's window.
      window = Math.max(window, state.get(0));
      count = state.get(0) == window ? state.get(1) : 0;
    }
    if (count + permits <= limit) {
      return granted(new LimiterState(window, count + permits), limit - count - permits);
    }
    long windowEnd = (window + 1) * periodMillis;
    return denied(limit - count, windowEnd - now);
  }

  private long slotMillis() {
    return ceilDiv(periodMillis, slots);
  }

  /** State: the newest slot's number, then slots + 1 counts indexed by slot number modulo. */
  private Outcome sliding(LimiterState state, long permits, long now) {
    int ring = slots + 1;
    long slotMillis = slotMillis();
    long slot = Math.floorDiv(now, slotMillis);
    long[] counts = new long[ring];
    long head = slot;
    if (state != null && state.size() == ring + 1) {
      head = state.get(0);
      for (int i = 0; i < ring; i++) {
        counts[i] = state.get(i + 1);
      }
      // A clock behind the last writer's decides in the writer's slot.
      slot = Math.max(slot, head);
      for (long s = head + 1; s <= Math.min(slot, head + ring); s++) {
        counts[Math.floorMod(s, ring)] = 0;
      }
    }
    long counted = 0;
    for (long c : counts) {
      counted += c;
    }
    if (counted + permits <= limit) {
      counts[Math.floorMod(slot, ring)] += permits;
      long[] next = new long[ring + 1];
      next[0] = slot;
      System.arraycopy(counts, 0, next, 1, ring);
      return granted(new LimiterState(next), limit - counted - permits);
    }
    // Wait until enough of the oldest slots have left the counted span.
    long needed = counted + permits - limit;
    long freed = 0;
    long retryAt = (slot + 1) * slotMillis;
    for (long s = slot - slots; s <= slot; s++) {
      freed += counts[Math.floorMod(s, ring)];
      if (freed >= needed) {
        retryAt = (s + ring) * slotMillis;
        break;
      }
    }
    return denied(limit - counted, retryAt - now);
  }

  /**
   * State: the tokens in units of 1/period (a token is {@code period} units, refill adds
   * {@code refillPermits} units per millisecond: integers only), and the time they were counted.
   */
  private Outcome bucket(LimiterState state, long permits, long now) {
    long full = limit * periodMillis;
    long units = full;
    long counted = now;
    if (state != null && state.size() == 2) {
      units = Math.min(full, Math.max(0, state.get(0)));
      counted = Math.max(state.get(1), now);
      long elapsed = Math.max(0, now - state.get(1));
      long toFull = ceilDiv(full - units, refillPermits);
      units = elapsed >= toFull ? full : units + elapsed * refillPermits;
    }
    long needed = permits * periodMillis;
    if (units >= needed) {
      return granted(new LimiterState(units - needed, counted), (units - needed) / periodMillis);
    }
    return denied(units / periodMillis, ceilDiv(needed - units, refillPermits));
  }

  private Outcome granted(LimiterState next, long remaining) {
    return new Outcome(next, new Decision(true, limit, remaining, Duration.ZERO));
  }

  private Outcome denied(long remaining, long retryMillis) {
    return new Outcome(null,
        new Decision(false, limit, Math.max(0, remaining), Duration.ofMillis(retryMillis)));
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RateLimit rule && rule.algorithm == algorithm && rule.limit == limit
        && rule.periodMillis == periodMillis && rule.refillPermits == refillPermits
        && rule.slots == slots;
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, limit, periodMillis, refillPermits, slots);
  }

  @Override
  public String toString() {
    return switch (algorithm) {
      case FIXED_WINDOW -> "fixed window of " + limit + " per " + period();
      case SLIDING_WINDOW -> "sliding window of " + limit + " per " + period() + " in " + slots
          + " slots";
      case TOKEN_BUCKET -> "token bucket of " + limit + ", refilled " + refillPermits + " per "
          + period();
    };
  }
}
