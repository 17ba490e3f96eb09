package io.github.cachelayer.cache;

import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.event.EventDispatcher;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.util.Clock;
import java.util.List;
import javax.cache.Cache;

/**
 * What every decision of one cache works with: its copier, clock, expiry times, writer, loader
 * and listeners. One per cache; the decisions ({@link Op} and its subclasses) are built from it,
 * so each can be tested without a whole cache.
 */
final class OperationContext<K, V> {
  final Copier copier;
  final Clock clock;
  final ExpiryTimes expiry;
  final WriteThrough<K, V> writer;
  /** Null when the cache does not read through. */
  final ReadThrough<K, V> readThrough;
  private final EventDispatcher<K, V> dispatcher;
  private final Cache<K, V> source;
  private final Store<K, V> store;

  OperationContext(Copier copier, Clock clock, ExpiryTimes expiry, WriteThrough<K, V> writer,
      ReadThrough<K, V> readThrough, EventDispatcher<K, V> dispatcher, Cache<K, V> source,
      Store<K, V> store) {
    this.copier = copier;
    this.clock = clock;
    this.expiry = expiry;
    this.writer = writer;
    this.readThrough = readThrough;
    this.dispatcher = dispatcher;
    this.source = source;
    this.store = store;
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
