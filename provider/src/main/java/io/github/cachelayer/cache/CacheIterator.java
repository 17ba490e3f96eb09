package io.github.cachelayer.cache;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.Cache;

/**
 * Iterates a cache over its store's keys, reading each entry when it is reached (so an entry that
 * expired or went away meanwhile is skipped), and removes through the cache.
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
  private final Iterator<K> keys;
  private final Function<K, Cache.Entry<K, V>> read;
  private final Consumer<K> remove;
  private Cache.Entry<K, V> next;
  private Cache.Entry<K, V> last;

  /**
   * @param read the entry of a key as the cache returns it, or null if it has none
   * @param remove removes a key as {@code Cache.remove} does
   */
  CacheIterator(Iterator<K> keys, Function<K, Cache.Entry<K, V>> read, Consumer<K> remove) {
    this.keys = keys;
    this.read = read;
    this.remove = remove;
  }

  @Override
  public boolean hasNext() {
    while (next == null && keys.hasNext()) {
      next = read.apply(keys.next());
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
