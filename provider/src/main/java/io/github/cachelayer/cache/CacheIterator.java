package io.github.cachelayer.cache;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import javax.cache.Cache;

/**
 * Iterates a cache over its store's keys, reading each entry when it is reached (so an entry that
 * expired or went away meanwhile is skipped; a found one counts as a hit), and removes through
 * the cache.
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
  private final OperationContext<K, V> context;
  private final Iterator<K> keys;
  private final Consumer<K> remove;
  private Cache.Entry<K, V> next;
  private Cache.Entry<K, V> last;

  /** @param remove removes a key as {@code Cache.remove} does */
  CacheIterator(OperationContext<K, V> context, Iterator<K> keys, Consumer<K> remove) {
    this.context = context;
    this.keys = keys;
    this.remove = remove;
  }

  /** A key's entry as the cache returns it, or null if it has none (any more). */
  private Cache.Entry<K, V> read(K key) {
    long start = context.statistics.start();
    V value;
    try {
      value = context.compute(key, new Read<>(context, key, null));
    } catch (RuntimeException | Error failure) {
      context.awaitListenersAfter(failure);
      throw failure;
    }
    context.awaitListeners();
    if (value == null) {
      return null;
    }
    context.statistics.recordHits(1);
    context.statistics.recordGetTime(start);
    return new CacheEntry<>(context.copy(key), context.copy(value));
  }

  @Override
  public boolean hasNext() {
    while (next == null && keys.hasNext()) {
      next = read(keys.next());
    }
    return next != null;
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = next;
    next = null;
    return last;
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() must come before remove()");
    }
    remove.accept(last.getKey());
    last = null;
  }
}
