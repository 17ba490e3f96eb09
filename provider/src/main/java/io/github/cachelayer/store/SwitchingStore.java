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
    if (sink != null) {
      store.onRemoteEvents(sink);
    }
    if (listeners > 0) {
      store.localListenersChanged(listeners);
    }
    delegate = Objects.requireNonNull(store, "store");
    previous.close();
  }

  public Store<K, V> current() {
    return delegate;
  }

  @Override
  public Store<K, V> wrapped() {
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
  public StoredEntry<V> read(K key) {
    return delegate.read(key);
  }

  @Override
  public java.util.Map<K, StoredEntry<V>> readAll(java.util.Collection<? extends K> keys) {
    return delegate.readAll(keys);
  }

  @Override
  public <R> java.util.List<R> computeAll(java.util.List<? extends K> keys,
      java.util.List<? extends EntryAction<V, R>> actions) {
    return delegate.computeAll(keys, actions);
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

  private volatile java.util.function.Consumer<java.util.List<io.github.cachelayer.event.PendingEvent<K, V>>> sink;
  private volatile int listeners;

  @Override
  public void onRemoteEvents(
      java.util.function.Consumer<java.util.List<io.github.cachelayer.event.PendingEvent<K, V>>> sink) {
    this.sink = sink;
    delegate.onRemoteEvents(sink);
  }

  @Override
  public boolean coordinatesLoads() {
    return delegate.coordinatesLoads();
  }

  @Override
  public Lease leaseForLoad(K key) {
    return delegate.leaseForLoad(key);
  }

  @Override
  public boolean othersListen() {
    return delegate.othersListen();
  }

  @Override
  public void localListenersChanged(int count) {
    this.listeners = count;
    delegate.localListenersChanged(count);
  }
}
