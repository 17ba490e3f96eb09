package io.github.cachelayer.store;

import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.management.CacheLayerHealth;

/** Where a CacheManager's caches keep their entries: the mode it runs in. */
public interface Backend {
  /** "fallback" or "redis", for logs, health and toString. */
  String mode();

  /**
   * @param entriesExpire false for an eternal cache (no expiry bookkeeping needed)
   * @param readsKeepExpiry whether reads never change an entry's expiry (a near cache may
   *     answer them)
   */
  <K, V> Store<K, V> createStore(String cacheName, CacheLayerConfiguration<K, V> configuration,
      EvictionListener<K, V> evictions, boolean entriesExpire, boolean readsKeepExpiry);

  /**
   * The copies store-by-value needs on top of what the store already does.
   *
   * @param readsKeepExpiry as for {@link #createStore}
   */
  Copier copier(CacheLayerConfiguration<?, ?> configuration, boolean readsKeepExpiry);

  /**
   * Whether a cache may keep the caller's own instances (store-by-reference): not when values
   * live in a shared, serialized store.
   */
  boolean storesByReference();

  /** PING and INFO of Redis, or fallback mode's constant answer. */
  CacheLayerHealth health();

  void close();
}
