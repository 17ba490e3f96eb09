package io.github.cachelayer.store;

import java.util.Collections;
import java.util.Iterator;

/**
 * The store of a cache while its Redis is configured but unreachable: it keeps nothing, so every
 * read misses and writes are not kept. Keeping node-local copies instead would serve data other
 * nodes can no longer invalidate.
 */
public final class UnavailableStore<K, V> implements Store<K, V> {
  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    // The decision is taken (writers and loaders are called) but nothing is stored.
    R result = action.apply(null, new Mutation<>());
    action.onCommit();
    return result;
  }

  @Override
  public StoredEntry<V> peek(K key) {
    return null;
  }

  @Override
  public StoredEntry<V> read(K key) {
    return null;
  }

  @Override
  public Iterator<K> keys() {
    return Collections.emptyIterator();
  }

  @Override
  public void clear() {}

  @Override
  public long estimatedSize() {
    return 0;
  }

  @Override
  public void close() {}
}
