package io.github.cachelayer.tck.async;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;

/** A CacheLayer manager whose caches are {@link AsyncViewCache}s, one per cache. */
final class AsyncViewCacheManager implements CacheManager {
  private final CacheManager manager;
  private final AsyncViewCachingProvider provider;
  private final Map<Cache<?, ?>, AsyncViewCache<?, ?>> views = new ConcurrentHashMap<>();

  AsyncViewCacheManager(CacheManager manager, AsyncViewCachingProvider provider) {
    this.manager = manager;
    this.provider = provider;
  }

  @SuppressWarnings("unchecked")
  private <K, V> Cache<K, V> view(Cache<K, V> cache) {
    if (cache == null) {
      return null;
    }
    views.keySet().removeIf(Cache::isClosed);
    return (Cache<K, V>) views.computeIfAbsent(cache, c -> new AsyncViewCache<>(c, this));
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return manager.getURI();
  }

  @Override
  public ClassLoader getClassLoader() {
    return manager.getClassLoader();
  }

  @Override
  public Properties getProperties() {
    return manager.getProperties();
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
      C configuration) {
    return view(manager.createCache(cacheName, configuration));
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    return view(manager.getCache(cacheName, keyType, valueType));
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName) {
    return view(manager.getCache(cacheName));
  }

  @Override
  public Iterable<String> getCacheNames() {
    return manager.getCacheNames();
  }

  @Override
  public void destroyCache(String cacheName) {
    manager.destroyCache(cacheName);
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    manager.enableManagement(cacheName, enabled);
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    manager.enableStatistics(cacheName, enabled);
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public boolean isClosed() {
    return manager.isClosed();
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return clazz.isInstance(this) ? clazz.cast(this) : manager.unwrap(clazz);
  }
}
