package io.github.cachelayer.event;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** An entry event as one listener registration receives it (old value only if it asked). */
public final class CacheLayerEntryEvent<K, V> extends CacheEntryEvent<K, V> {
  private static final long serialVersionUID = 1L;

  private final K key;
  private final V value;
  private final V oldValue;
  private final boolean oldValueAvailable;

  CacheLayerEntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue,
      boolean oldValueAvailable) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
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
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a cache entry event to " + clazz.getName());
  }

  @Override
  public String toString() {
    return getEventType() + "[key=" + key + "]";
  }
}
