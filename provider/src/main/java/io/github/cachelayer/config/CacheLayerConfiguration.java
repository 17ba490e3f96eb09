package io.github.cachelayer.config;

import com.github.benmanes.caffeine.cache.Weigher;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;

/**
 * The standard {@link MutableConfiguration} plus what CacheLayer adds per cache: a size or weight
 * bound for local stores. Pass it to {@code createCache} like any JCache configuration, or
 * declare the cache in the configuration file.
 */
public final class CacheLayerConfiguration<K, V> extends MutableConfiguration<K, V> {
  private static final long serialVersionUID = 1L;

  private long maximumSize = -1;
  private long maximumWeight = -1;
  private Factory<? extends Weigher<? super K, ? super V>> weigherFactory;

  public CacheLayerConfiguration() {}

  /** A copy of {@code configuration}, keeping CacheLayer's additions when it has them. */
  public CacheLayerConfiguration(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      copyFrom(complete);
    } else {
      setTypes(configuration.getKeyType(), configuration.getValueType());
      setStoreByValue(configuration.isStoreByValue());
    }
    if (configuration instanceof CacheLayerConfiguration<K, V> ours) {
      this.maximumSize = ours.maximumSize;
      this.maximumWeight = ours.maximumWeight;
      this.weigherFactory = ours.weigherFactory;
    }
  }

  private void copyFrom(CompleteConfiguration<K, V> complete) {
    setTypes(complete.getKeyType(), complete.getValueType());
    complete.getCacheEntryListenerConfigurations().forEach(this::addCacheEntryListenerConfiguration);
    setCacheLoaderFactory(complete.getCacheLoaderFactory());
    setCacheWriterFactory(complete.getCacheWriterFactory());
    setExpiryPolicyFactory(complete.getExpiryPolicyFactory());
    setReadThrough(complete.isReadThrough());
    setWriteThrough(complete.isWriteThrough());
    setStoreByValue(complete.isStoreByValue());
    setStatisticsEnabled(complete.isStatisticsEnabled());
    setManagementEnabled(complete.isManagementEnabled());
  }

  /** The most entries a local store keeps, or -1 for no bound. */
  public long getMaximumSize() {
    return maximumSize;
  }

  public CacheLayerConfiguration<K, V> setMaximumSize(long maximumSize) {
    if (maximumSize < -1) {
      throw new IllegalArgumentException("maximum size must be >= 0 (or -1 for none): " + maximumSize);
    }
    this.maximumSize = maximumSize;
    return this;
  }

  /** The most total weight a local store keeps, or -1 for no bound. */
  public long getMaximumWeight() {
    return maximumWeight;
  }

  public Factory<? extends Weigher<? super K, ? super V>> getWeigherFactory() {
    return weigherFactory;
  }

  public CacheLayerConfiguration<K, V> setMaximumWeight(long maximumWeight,
      Factory<? extends Weigher<? super K, ? super V>> weigherFactory) {
    if (maximumWeight < -1) {
      throw new IllegalArgumentException("maximum weight must be >= 0 (or -1 for none): " + maximumWeight);
    }
    if (maximumWeight >= 0 && weigherFactory == null) {
      throw new IllegalArgumentException("a maximum weight needs a weigher");
    }
    this.maximumWeight = maximumWeight;
    this.weigherFactory = weigherFactory;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CacheLayerConfiguration<?, ?> other) || !super.equals(o)) {
      return false;
    }
    return maximumSize == other.maximumSize && maximumWeight == other.maximumWeight
        && java.util.Objects.equals(weigherFactory, other.weigherFactory);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Long.hashCode(maximumSize) * 17 + Long.hashCode(maximumWeight);
  }
}
