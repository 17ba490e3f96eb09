package io.github.cachelayer.cache;

import java.util.Objects;
import javax.cache.Cache;

/** An immutable key-value pair handed to users (iteration) and to writers. */
public final class CacheEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  public CacheEntry(K key, V value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a cache entry to " + clazz.getName());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cache.Entry<?, ?> other && key.equals(other.getKey())
        && Objects.equals(value, other.getValue());
  }

  @Override
  public int hashCode() {
    return key.hashCode() ^ Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return "CacheEntry[" + key + "]";
  }
}
