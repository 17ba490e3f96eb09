package io.github.cachelayer.event;

import io.github.cachelayer.util.Closeables;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** One registered listener: the instances its configuration's factories made, and its flags. */
final class ListenerRegistration<K, V> {
  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;

  ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "listener configuration");
    Factory<CacheEntryListener<? super K, ? super V>> listenerFactory =
        configuration.getCacheEntryListenerFactory();
    if (listenerFactory == null) {
      throw new IllegalArgumentException("The listener configuration has no listener factory");
    }
    this.listener = Objects.requireNonNull(listenerFactory.create(),
        "the listener factory returned null");
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  boolean isSynchronous() {
    return configuration.isSynchronous();
  }

  boolean handles(EventType type) {
    return switch (type) {
      case CREATED -> listener instanceof CacheEntryCreatedListener;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener;
      case REMOVED -> listener instanceof CacheEntryRemovedListener;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener;
    };
  }

  /** The event as this registration sees it: the old value only when it was asked for. */
  CacheLayerEntryEvent<K, V> shape(Cache<K, V> source, PendingEvent<K, V> event) {
    boolean wantsOld = configuration.isOldValueRequired();
    return switch (event.type()) {
      case CREATED -> new CacheLayerEntryEvent<>(source, event.type(), event.key(), event.value(),
          null, false);
      case UPDATED -> new CacheLayerEntryEvent<>(source, event.type(), event.key(), event.value(),
          wantsOld ? event.oldValue() : null, wantsOld);
      case REMOVED, EXPIRED -> wantsOld
          ? new CacheLayerEntryEvent<>(source, event.type(), event.key(), event.value(),
              event.value(), true)
          : new CacheLayerEntryEvent<>(source, event.type(), event.key(), null, null, false);
    };
  }

  /** Runs the filter and the listener for one event, on the dispatching thread. */
  @SuppressWarnings("unchecked")
  void deliver(CacheLayerEntryEvent<K, V> event) {
    if (filter != null && !filter.evaluate(event)) {
      return;
    }
    var events = java.util.List.<javax.cache.event.CacheEntryEvent<? extends K, ? extends V>>of(event);
    switch (event.getEventType()) {
      case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
      case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
      case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
      case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
    }
  }

  /** Closes the listener and filter if they hold resources (JCache 1.1 requires it). */
  void close() {
    Closeables.closeQuietly(listener);
    Closeables.closeQuietly(filter);
  }
}
