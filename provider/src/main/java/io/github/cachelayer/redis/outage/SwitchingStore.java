package io.github.cachelayer.redis.outage;

import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.ForwardingStore;
import io.github.cachelayer.store.Store;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A store that starts on a stand-in (no storage, or a local store a cache opted into) and moves to
 * the real store when it becomes available, such as Redis answering after an outage at start-up.
 * What the stand-in held is dropped at the switch: it was node-local.
 */
public final class SwitchingStore<K, V> extends ForwardingStore<K, V> {
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
  protected Store<K, V> delegate() {
    return delegate;
  }

  /** Changes no decision, so the store it switched to may run one without waiting. */
  @Override
  public <R> CompletableFuture<R> computeWithoutWaiting(K key, EntryAction<V, R> action,
      Executor executor) {
    return delegate.computeWithoutWaiting(key, action, executor);
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
  public void localListenersChanged(int count) {
    this.listeners = count;
    delegate.localListenersChanged(count);
  }
}
