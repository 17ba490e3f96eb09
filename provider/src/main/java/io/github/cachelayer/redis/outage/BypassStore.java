package io.github.cachelayer.redis.outage;

import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import java.util.Collections;
import java.util.Iterator;

/**
 * The stand-in of the {@code bypass} outage policy: it keeps nothing. Every read misses; every
 * decision is taken on an absent entry (so writers and loaders are still called) and not
 * applied. A decision that would have changed the entry publishes no event, since nothing changed.
 */
public final class BypassStore<K, V> implements Store<K, V> {
  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    Mutation<V> mutation = new Mutation<>();
    R result = action.apply(null, mutation);
    if (mutation.kind() == Mutation.Kind.KEEP) {
      action.onCommit();
    }
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
