package io.github.cachelayer.store;

/**
 * One entry as a store holds it: the value and the absolute time, in epoch milliseconds of the
 * cache's {@link io.github.cachelayer.util.Clock}, at which it stops being visible.
 * {@link #ETERNAL} means it never expires.
 *
 * @param value the stored value, never null
 * @param expireAt when the entry expires; the entry is expired when {@code expireAt <= now}
 */
public record StoredEntry<V>(V value, long expireAt) {
  public static final long ETERNAL = Long.MAX_VALUE;

  public StoredEntry {
    if (value == null) {
      throw new NullPointerException("a stored entry needs a value");
    }
  }

  public boolean isExpired(long now) {
    return expireAt <= now;
  }

  /** As {@link #isExpired(long)}, reading the clock only for an entry that can expire. */
  public boolean isExpired(io.github.cachelayer.util.Clock clock) {
    return expireAt != ETERNAL && expireAt <= clock.millis();
  }

  public StoredEntry<V> withExpireAt(long newExpireAt) {
    return newExpireAt == expireAt ? this : new StoredEntry<>(value, newExpireAt);
  }
}
