package io.github.cachelayer.store;

import io.github.cachelayer.event.PendingEvent;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A store that hands every call to another one: a decorator overrides only what it changes.
 * {@link #wrapped()} is the store it forwards to. {@link #computeWithoutWaiting} is the
 * exception: it is not forwarded unless a layer says so, since a decorator that changes
 * {@code compute} would otherwise be passed by.
 */
public abstract class ForwardingStore<K, V> implements Store<K, V> {
  /** The store calls go to now. */
  protected abstract Store<K, V> delegate();

  @Override
  public Store<K, V> wrapped() {
    return delegate();
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    return delegate().compute(key, action);
  }

  @Override
  public <R> List<R> computeAll(List<? extends K> keys,
      List<? extends EntryAction<V, R>> actions) {
    return delegate().computeAll(keys, actions);
  }

  @Override
  public StoredEntry<V> peek(K key) {
    return delegate().peek(key);
  }

  @Override
  public StoredEntry<V> read(K key) {
    return delegate().read(key);
  }

  @Override
  public CompletableFuture<StoredEntry<V>> readWithoutWaiting(K key, Executor executor) {
    return delegate().readWithoutWaiting(key, executor);
  }

  @Override
  public Map<K, StoredEntry<V>> readAll(Collection<? extends K> keys) {
    return delegate().readAll(keys);
  }

  @Override
  public Iterator<K> keys() {
    return delegate().keys();
  }

  @Override
  public void clear() {
    delegate().clear();
  }

  @Override
  public long estimatedSize() {
    return delegate().estimatedSize();
  }

  @Override
  public void close() {
    delegate().close();
  }

  @Override
  public void onRemoteEvents(Consumer<List<PendingEvent<K, V>>> sink) {
    delegate().onRemoteEvents(sink);
  }

  @Override
  public void localListenersChanged(int count) {
    delegate().localListenersChanged(count);
  }

  @Override
  public boolean othersListen() {
    return delegate().othersListen();
  }

  @Override
  public Lease leaseForLoad(K key) {
    return delegate().leaseForLoad(key);
  }

  @Override
  public boolean coordinatesLoads() {
    return delegate().coordinatesLoads();
  }
}
