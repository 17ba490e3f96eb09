package io.github.cachelayer.helpers;

import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;

/** How the helpers find their caches on any JCache provider. */
public final class Caches {
  private Caches() {}

  /**
   * The cache named {@code name}, created with {@code configuration} when it does not exist yet
   * (by this or another caller: a lost creation race reads the winner's cache). An existing
   * cache must have the configuration's key and value types.
   *
   * @throws IllegalArgumentException if the existing cache holds other types
   */
  public static <K, V> Cache<K, V> getOrCreate(CacheManager manager, String name,
      CompleteConfiguration<K, V> configuration) {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(name, "name");
    Class<K> keyType = configuration.getKeyType();
    Class<V> valueType = configuration.getValueType();
    for (int attempt = 0; ; attempt++) {
      Cache<K, V> cache = existing(manager, name, keyType, valueType);
      if (cache != null) {
        return cache;
      }
      try {
        return manager.createCache(name, configuration);
      } catch (CacheException e) {
        if (attempt > 0) {
          throw e;
        }
        // Created meanwhile by another caller: read it.
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Cache<K, V> existing(CacheManager manager, String name,
      Class<K> keyType, Class<V> valueType) {
    Cache<Object, Object> cache = manager.getCache(name);
    if (cache == null) {
      return null;
    }
    @SuppressWarnings("rawtypes")
    Configuration configuration = cache.getConfiguration(Configuration.class);
    if ((configuration.getKeyType() != Object.class && configuration.getKeyType() != keyType)
        || (configuration.getValueType() != Object.class
            && configuration.getValueType() != valueType)) {
      throw new IllegalArgumentException("Cache '" + name + "' exists with key type "
          + configuration.getKeyType().getName() + " and value type "
          + configuration.getValueType().getName() + "; this helper needs "
          + keyType.getName() + " and " + valueType.getName());
    }
    return (Cache<K, V>) (Cache<?, ?>) cache;
  }

  /** Whether {@code failure} comes from a value that could not be read back (a class changed). */
  public static boolean isDecodeFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClassCastException || t instanceof ClassNotFoundException
          || t instanceof java.io.InvalidClassException
          || t instanceof java.io.ObjectStreamException
          || t.getClass().getSimpleName().equals("CodecException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
