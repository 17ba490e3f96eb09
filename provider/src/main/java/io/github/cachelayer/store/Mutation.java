package io.github.cachelayer.store;

/**
 * What an {@link EntryAction} asks the store to do with the entry it was shown. Exactly one
 * decision stands: the last call wins. With no call the entry stays as it was (an expired entry
 * that is kept stays invisible and is reclaimed by the store).
 */
public final class Mutation<V> {
  /** The decisions, in the words a Redis script uses too. */
  public enum Kind { KEEP, WRITE, TOUCH, REMOVE }

  private Kind kind = Kind.KEEP;
  private V value;
  private long expireAt;

  /** Stores {@code newValue}, visible until {@code newExpireAt}. */
  public void write(V newValue, long newExpireAt) {
    if (newValue == null) {
      throw new NullPointerException("a written value must not be null");
    }
    kind = Kind.WRITE;
    value = newValue;
    expireAt = newExpireAt;
  }

  /** Keeps the value and moves its expiry time. */
  public void touch(long newExpireAt) {
    kind = Kind.TOUCH;
    value = null;
    expireAt = newExpireAt;
  }

  /** Removes the entry (also used to reclaim an entry found expired). */
  public void remove() {
    kind = Kind.REMOVE;
    value = null;
  }

  public Kind kind() {
    return kind;
  }

  public V value() {
    return value;
  }

  public long expireAt() {
    return expireAt;
  }
}
