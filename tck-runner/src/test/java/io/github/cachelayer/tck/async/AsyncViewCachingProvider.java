package io.github.cachelayer.tck.async;

import io.github.cachelayer.CacheLayerCachingProvider;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * CacheLayer's provider, with every cache operation sent through the cache's asynchronous view
 * ({@link AsyncViewCache}); chosen for a TCK run by
 * {@code -Djavax.cache.spi.CachingProvider=io.github.cachelayer.tck.async.AsyncViewCachingProvider}.
 */
public final class AsyncViewCachingProvider implements CachingProvider {
  private final CachingProvider provider = new CacheLayerCachingProvider();
  private final Map<CacheManager, AsyncViewCacheManager> managers = new ConcurrentHashMap<>();

  private CacheManager view(CacheManager manager) {
    managers.keySet().removeIf(CacheManager::isClosed);
    return managers.computeIfAbsent(manager, m -> new AsyncViewCacheManager(m, this));
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    return view(provider.getCacheManager(uri, classLoader, properties));
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return provider.getDefaultClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return provider.getDefaultURI();
  }

  @Override
  public Properties getDefaultProperties() {
    return provider.getDefaultProperties();
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return view(provider.getCacheManager(uri, classLoader));
  }

  @Override
  public CacheManager getCacheManager() {
    return view(provider.getCacheManager());
  }

  @Override
  public void close() {
    provider.close();
  }

  @Override
  public void close(ClassLoader classLoader) {
    provider.close(classLoader);
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    provider.close(uri, classLoader);
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return provider.isSupported(optionalFeature);
  }
}
