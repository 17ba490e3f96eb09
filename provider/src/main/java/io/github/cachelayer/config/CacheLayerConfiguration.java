package io.github.cachelayer.config;

import com.github.benmanes.caffeine.cache.Weigher;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private CodecType codecType = CodecType.KRYO;
  private List<String> allowedClasses = List.of();
  private boolean schemaEvolution;
  private DecodeFailure decodeFailure = DecodeFailure.MISS;
  /** The most bytes a value may take in Redis; 0 for no limit. */
  private long maxValueSize;
  /** Null: the manager's ({@code cachelayer.redis.on-outage}). */
  private OutagePolicy outagePolicy;
  private String encryptionKeyId;
  /** Null: no near cache. */
  private NearCacheSettings nearCache;
  private transient Map<String, byte[]> encryptionKeys = Map.of();

  /** How values are written to Redis. */
  public enum CodecType { KRYO, JDK, JSON }

  /** What a read does with bytes it cannot decode. */
  public enum DecodeFailure { MISS, THROW }

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
      copyExtensions(ours);
    }
  }

  /** Takes CacheLayer's own settings (bounds, codec, availability) from {@code other}. */
  @SuppressWarnings("unchecked")
  public void copyExtensions(CacheLayerConfiguration<?, ?> other) {
    this.maximumSize = other.maximumSize;
    this.maximumWeight = other.maximumWeight;
    this.weigherFactory = (Factory<? extends Weigher<? super K, ? super V>>) other.weigherFactory;
    this.codecType = other.codecType;
    this.allowedClasses = other.allowedClasses;
    this.schemaEvolution = other.schemaEvolution;
    this.decodeFailure = other.decodeFailure;
    this.outagePolicy = other.outagePolicy;
    this.maxValueSize = other.maxValueSize;
    this.encryptionKeyId = other.encryptionKeyId;
    this.encryptionKeys = other.encryptionKeys;
    this.nearCache = other.nearCache;
  }

  /** This cache's near cache in Redis mode, or null for none (the default). */
  public NearCacheSettings getNearCache() {
    return nearCache;
  }

  /**
   * Keeps a local copy of the entries this JVM reads, invalidated by Redis when any client
   * changes them (Redis mode; fallback caches are local already).
   *
   * @param settings the copy's bounds; null switches the near cache off
   */
  public CacheLayerConfiguration<K, V> setNearCache(NearCacheSettings settings) {
    this.nearCache = settings;
    return this;
  }

  /** The id of the AES key values are encrypted with in Redis, or null for no encryption. */
  public String getEncryptionKeyId() {
    return encryptionKeyId;
  }

  /** AES keys by id: the current one, and older ones still needed to read older values. */
  public Map<String, byte[]> getEncryptionKeys() {
    return encryptionKeys;
  }

  /**
   * Encrypts this cache's values in Redis with AES-GCM.
   *
   * @param currentKeyId the key new values are encrypted with; null switches encryption off
   * @param keys AES keys (128, 192 or 256 bits) by id; must hold the current one
   */
  public CacheLayerConfiguration<K, V> setEncryption(String currentKeyId, Map<String, byte[]> keys) {
    if (currentKeyId != null && !keys.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("No encryption key with the current id '"
          + currentKeyId + "'");
    }
    this.encryptionKeyId = currentKeyId;
    this.encryptionKeys = Map.copyOf(keys);
    return this;
  }

  public CodecType getCodecType() {
    return codecType;
  }

  public CacheLayerConfiguration<K, V> setCodecType(CodecType codecType) {
    this.codecType = Objects.requireNonNull(codecType, "codecType");
    return this;
  }

  /** Classes or packages ("com.example.*") this cache may decode from Redis, beyond the JDK's. */
  public List<String> getAllowedClasses() {
    return allowedClasses;
  }

  public CacheLayerConfiguration<K, V> setAllowedClasses(List<String> allowedClasses) {
    this.allowedClasses = List.copyOf(allowedClasses);
    return this;
  }

  public boolean isSchemaEvolution() {
    return schemaEvolution;
  }

  public CacheLayerConfiguration<K, V> setSchemaEvolution(boolean schemaEvolution) {
    this.schemaEvolution = schemaEvolution;
    return this;
  }

  public DecodeFailure getDecodeFailure() {
    return decodeFailure;
  }

  public CacheLayerConfiguration<K, V> setDecodeFailure(DecodeFailure decodeFailure) {
    this.decodeFailure = Objects.requireNonNull(decodeFailure, "decodeFailure");
    return this;
  }

  /** The most bytes a value may take in Redis (encoded); 0 when there is no limit. */
  public long getMaxValueSize() {
    return maxValueSize;
  }

  /** @param bytes the most a value may take encoded in Redis; 0 for no limit */
  public CacheLayerConfiguration<K, V> setMaxValueSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxValueSize must be 0 (no limit) or more: " + bytes);
    }
    this.maxValueSize = bytes;
    return this;
  }

  /** What this cache does while Redis does not answer; null when the manager's policy applies. */
  public OutagePolicy getOutagePolicy() {
    return outagePolicy;
  }

  /** @param policy null for the manager's ({@code cachelayer.redis.on-outage}) */
  public CacheLayerConfiguration<K, V> setOutagePolicy(OutagePolicy policy) {
    this.outagePolicy = policy;
    return this;
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
        && Objects.equals(weigherFactory, other.weigherFactory)
        && codecType == other.codecType && allowedClasses.equals(other.allowedClasses)
        && schemaEvolution == other.schemaEvolution && decodeFailure == other.decodeFailure
        && outagePolicy == other.outagePolicy && maxValueSize == other.maxValueSize
        && Objects.equals(nearCache, other.nearCache);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Long.hashCode(maximumSize) * 17 + Long.hashCode(maximumWeight);
  }
}
