package io.github.cachelayer;

import io.github.cachelayer.config.ManagerSettings;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * CacheLayer's JCache provider, found by {@code Caching.getCachingProvider()} through
 * {@code META-INF/services}. Keeps one CacheManager per (class loader, URI); class loaders are
 * held weakly so that an undeployed application's managers can be collected.
 *
 * <p>URIs: null means {@link #getDefaultURI()} (configured by {@code application.conf});
 * {@code classpath:}, {@code file:} and {@code jar:} URIs, and plain resource names, name a
 * configuration file (a missing file is an error naming it); any other URI just names the manager.
 */
public final class CacheLayerCachingProvider implements CachingProvider {
  /**
   * The manager property that adds class-name patterns to every cache's codec allow-list, like
   * the environment's {@code CACHELAYER_CODEC_ALLOW} (comma-separated; {@code com.example.*}).
   */
  public static final String CODEC_ALLOW_PROPERTY = ManagerSettings.ALLOW_PROPERTY;

  private static final URI DEFAULT_URI = URI.create("cachelayer");

  private final Map<ClassLoader, Map<URI, CacheLayerCacheManager>> managers = new WeakHashMap<>();

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties managerProperties = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, CacheLayerCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      CacheLayerCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager = new CacheLayerCacheManager(this, managerUri, managerUri.equals(DEFAULT_URI),
            loader, managerProperties, ManagerOverrides.environment(managerProperties),
            ManagerOverrides.clock(managerProperties));
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : CacheLayerCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    for (CacheManager manager : snapshot(null, null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    for (CacheManager manager : snapshot(loader, null)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    URI managerUri = uri == null ? getDefaultURI() : uri;
    for (CacheManager manager : snapshot(loader, managerUri)) {
      manager.close();
    }
  }

  /** The open managers of one class loader (or all), optionally of one URI. */
  private List<CacheManager> snapshot(ClassLoader loader, URI uri) {
    List<CacheManager> result = new ArrayList<>();
    synchronized (managers) {
      managers.forEach((classLoader, byUri) -> {
        if (loader == null || loader == classLoader) {
          byUri.forEach((managerUri, manager) -> {
            if (uri == null || uri.equals(managerUri)) {
              result.add(manager);
            }
          });
        }
      });
    }
    return result;
  }

  /** Forgets a closed manager. Called by the manager itself. */
  public void release(CacheLayerCacheManager manager) {
    synchronized (managers) {
      ClassLoader loader;
      try {
        loader = manager.getClassLoader();
      } catch (IllegalStateException collected) {
        return;
      }
      Map<URI, CacheLayerCacheManager> byUri = managers.get(loader);
      if (byUri != null) {
        byUri.remove(manager.getURI(), manager);
        if (byUri.isEmpty()) {
          managers.remove(loader);
        }
      }
    }
  }

  /**
   * Store-by-reference is supported in fallback mode only: a distributed store cannot hand out
   * the caller's own instances, so in Redis mode every cache stores by value whatever its
   * configuration says. Answered for the default configuration (environment, system properties,
   * application.conf).
   */
  @Override
  public boolean isSupported(OptionalFeature feature) {
    if (feature != OptionalFeature.STORE_BY_REFERENCE) {
      return false;
    }
    return !ManagerSettings.load(DEFAULT_URI, true, getDefaultClassLoader(), System.getenv())
        .isRedisConfigured();
  }

  @Override
  public String toString() {
    return "CacheLayerCachingProvider";
  }
}
