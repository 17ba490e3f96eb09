package io.github.cachelayer.local;

import com.github.benmanes.caffeine.cache.Weigher;
import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.store.Backend;
import io.github.cachelayer.store.EvictionListener;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.util.Clock;

/** Fallback mode: every cache is a local Caffeine store. */
public final class LocalBackend implements Backend {
  private final Clock clock;
  private final Copier copier;

  public LocalBackend(Clock clock, Copier copier) {
    this.clock = clock;
    this.copier = copier;
  }

  @Override
  public String mode() {
    return "fallback";
  }

  @Override
  public <K, V> Store<K, V> createStore(String cacheName,
      CacheLayerConfiguration<K, V> configuration, EvictionListener<K, V> evictions,
      boolean entriesExpire, boolean readsKeepExpiry) {
    // A near cache is a Redis mode feature: a local store is as near as it gets.
    return localStore(clock, configuration, evictions, entriesExpire);
  }

  public static <K, V> Store<K, V> localStore(Clock clock, CacheLayerConfiguration<K, V> configuration,
      EvictionListener<K, V> evictions, boolean entriesExpire) {
    Weigher<? super K, ? super V> weigher = configuration.getWeigherFactory() == null ? null
        : configuration.getWeigherFactory().create();
    return CaffeineStore.create(clock, configuration.getMaximumSize(),
        configuration.getMaximumWeight(), weigher, evictions, entriesExpire);
  }

  @Override
  public Copier copier(CacheLayerConfiguration<?, ?> configuration, boolean readsKeepExpiry) {
    return configuration.isStoreByValue() ? copier : Copier.IDENTITY;
  }

  @Override
  public boolean storesByReference() {
    return true;
  }

  @Override
  public CacheLayerHealth health() {
    return CacheLayerHealth.fallback();
  }

  @Override
  public void close() {}
}
