package io.github.cachelayer.cache;

import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.event.EventDispatcher;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.management.CacheStatistics;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.util.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.cache.Cache;

/**
 * What every operation of one cache works with: its store, copier, clock, expiry times, writer,
 * loader, listeners and statistics. One per cache; the decisions ({@link Op} and its subclasses)
 * and the multi-key paths ({@link ReadPath}, {@link BulkWrites}, {@link BulkLoader}) are built
 * from it, so each can be tested without a whole cache.
 */
final class OperationContext<K, V> {
  final Copier copier;
  final Clock clock;
  final ExpiryTimes expiry;
  final WriteThrough<K, V> writer;
  /** Null when the cache does not read through. */
  final ReadThrough<K, V> readThrough;
  final Store<K, V> store;
  final CacheStatistics statistics;
  private final EventDispatcher<K, V> dispatcher;
  private final Cache<K, V> source;

  OperationContext(Copier copier, Clock clock, ExpiryTimes expiry, WriteThrough<K, V> writer,
      ReadThrough<K, V> readThrough, EventDispatcher<K, V> dispatcher, Cache<K, V> source,
      Store<K, V> store, CacheStatistics statistics) {
    this.copier = copier;
    this.clock = clock;
    this.expiry = expiry;
    this.writer = writer;
    this.readThrough = readThrough;
    this.dispatcher = dispatcher;
    this.source = source;
    this.store = store;
    this.statistics = statistics;
  }

  /**
   * Runs one decision. Under store-by-value the key is copied too: a caller that mutates its key
   * object afterwards must not change the entry's identity in the store.
   */
  <R> R compute(K key, Op<K, V, R> op) {
    return store.compute(copier.copy(key), op);
  }

  /** {@link #compute} started without a thread waiting, where the store can (else null). */
  <R> CompletableFuture<R> computeWithoutWaiting(K key, Op<K, V, R> op, Executor executor) {
    return store.computeWithoutWaiting(copier.copy(key), op, executor);
  }

  /**
   * Many decisions, one per key, sent together where the store can; this thread's synchronous
   * listeners are awaited however it ends, so none is left for a later, unrelated call.
   */
  <R> void computeAll(List<K> keys, List<? extends Op<K, V, R>> ops) {
    List<K> copies = new ArrayList<>(keys.size());
    for (K key : keys) {
      copies.add(copier.copy(key));
    }
    try {
      store.computeAll(copies, ops);
    } catch (RuntimeException | Error failure) {
      awaitListenersAfter(failure);
      throw failure;
    }
    awaitListeners();
  }

  /** Waits for this thread's synchronous deliveries: before an operation returns. */
  void awaitListeners() {
    dispatcher.awaitSynchronous();
  }

  /**
   * After an operation failed part-way: what it committed before raised events, and this thread's
   * synchronous listeners get them now (a listener's failure is added to the operation's).
   */
  void awaitListenersAfter(Throwable failure) {
    try {
      dispatcher.awaitSynchronous();
    } catch (RuntimeException | Error listenerFailure) {
      failure.addSuppressed(listenerFailure);
    }
  }

  <T> T copy(T value) {
    return copier.copy(value);
  }

  /** Whether anyone, in this JVM or (through a shared store) another, listens to this cache. */
  boolean eventsWanted() {
    return dispatcher.hasListeners() || store.othersListen();
  }

  void publish(List<PendingEvent<K, V>> events) {
    dispatcher.publish(source, events);
  }
}
