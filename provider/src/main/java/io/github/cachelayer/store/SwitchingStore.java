package io.github.cachelayer.store;

import java.util.Iterator;
import java.util.Objects;

/**
 * A store that starts on a stand-in (no storage, or a local store a cache opted into) and moves to
 * the real store when it becomes available, such as Redis answering after an outage at start-up.
 * What the stand-in held is dropped at the switch: it was node-local.
 */
public final class SwitchingStore<K, V> implements Store<K, V> {
  private volatile Store<K, V> delegate;

  public SwitchingStore(Store<K, V> standIn) {
    this.delegate = Objects.requireNonNull(standIn, "standIn");
  }

  public void switchTo(Store<K, V> store) {
    Store<K, V> previous = delegate;
    delegate = Objects.requireNonNull(store, "store");
    previous.close();
  }

  public Store<K, V> current() {
    return delegate;
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    return delegate.compute(key, action);
  }

  @Override
  public StoredEntry<V> peek(K key) {
    return delegate.peek(key);
  }

  @Override
  public Iterator<K> keys() {
    return delegate.keys();
  }

  @Override
  public void clear() {
    delegate.clear();
  }

  @Override
  public long estimatedSize() {
    return delegate.estimatedSize();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
