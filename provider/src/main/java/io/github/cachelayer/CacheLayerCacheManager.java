package io.github.cachelayer;

import static java.util.Objects.requireNonNull;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.codec.KryoCopier;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.ManagerSettings;
import io.github.cachelayer.local.LocalBackend;
import io.github.cachelayer.redis.Namespaces;
import io.github.cachelayer.redis.RedisBackend;
import io.github.cachelayer.store.Backend;
import io.github.cachelayer.util.Clock;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CacheManager: the caches of one (class loader, URI), configured by the file the URI names.
 * In fallback mode (no Redis configured) every cache is a local Caffeine cache.
 */
public final class CacheLayerCacheManager implements CacheManager {
  static final String FALLBACK_WARNING =
      "No Redis configuration found. Will run in fallback mode (in-memory).";
  private static final Logger LOG = LoggerFactory.getLogger(CacheLayerCacheManager.class);
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  private final CacheLayerCachingProvider provider;
  private final URI uri;
  private final WeakReference<ClassLoader> classLoader;
  private final Properties properties;
  private final ManagerSettings settings;
  private final Clock clock;
  private final Executor executor;
  private final Backend backend;
  private final ConcurrentMap<String, CacheLayerCache<?, ?>> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Opens a manager. Called by the provider only.
   *
   * @param environment the process environment (REDIS_URL and friends)
   * @throws CacheException if the configuration is missing or invalid
   */
  public CacheLayerCacheManager(CacheLayerCachingProvider provider, URI uri,
      boolean isDefaultUri, ClassLoader classLoader, Properties properties,
      Map<String, String> environment, Clock clock) {
    this.provider = requireNonNull(provider, "provider");
    this.uri = requireNonNull(uri, "uri");
    this.classLoader = new WeakReference<>(requireNonNull(classLoader, "classLoader"));
    this.properties = requireNonNull(properties, "properties");
    this.clock = requireNonNull(clock, "clock");
    this.settings = ManagerSettings.load(uri, isDefaultUri, classLoader, environment, properties);
    this.executor = ForkJoinPool.commonPool();
    if (settings.redis() != null) {
      String namespace = settings.redis().namespace() != null ? settings.redis().namespace()
          : Namespaces.fromUri(uri, isDefaultUri);
      this.backend = new RedisBackend(settings.redis(), namespace, settings.allowedEverywhere(),
          clock, this::getClassLoader, properties);
    } else {
      if (FALLBACK_LOGGED.compareAndSet(false, true)) {
        LOG.warn(FALLBACK_WARNING);
      }
      this.backend = new LocalBackend(clock, new KryoCopier(this::getClassLoader));
    }
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    ClassLoader loader = classLoader.get();
    if (loader == null) {
      throw new IllegalStateException("The class loader of CacheManager " + uri
          + " has been garbage collected");
    }
    return loader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
      C configuration) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(configuration, "configuration");
    CacheLayerConfiguration<K, V> copy = new CacheLayerConfiguration<>(configuration);
    if (!(configuration instanceof CacheLayerConfiguration)) {
      // What the standard configuration cannot say (bounds, codec) comes from `default`.
      copy.copyExtensions(settings.defaults());
    }
    boolean[] created = {false};
    CacheLayerCache<?, ?> cache = caches.computeIfAbsent(cacheName, name -> {
      created[0] = true;
      return newCache(name, copy);
    });
    if (!created[0]) {
      throw new CacheException("Cache '" + cacheName + "' already exists in CacheManager " + uri);
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    Cache<K, V> cache = getCache(cacheName);
    if (cache == null) {
      return null;
    }
    @SuppressWarnings("unchecked") // any cache's configuration is a Configuration
    Configuration<?, ?> configuration = cache.getConfiguration(Configuration.class);
    if (configuration.getKeyType() != keyType || configuration.getValueType() != valueType) {
      throw new ClassCastException("Cache '" + cacheName + "' is configured with types <"
          + configuration.getKeyType().getName() + ", " + configuration.getValueType().getName()
          + ">, not <" + keyType.getName() + ", " + valueType.getName() + ">");
    }
    return cache;
  }

  /** A created cache, or a cache declared in the configuration file (created now); else null. */
  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    CacheLayerCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      CacheLayerConfiguration<Object, Object> declared = settings.declaredCache(cacheName);
      if (declared != null) {
        cache = caches.computeIfAbsent(cacheName, name -> newCache(name, declared));
      }
    }
    return (Cache<K, V>) cache;
  }

  private <K, V> CacheLayerCache<K, V> newCache(String name,
      CacheLayerConfiguration<K, V> configuration) {
    if (!configuration.isStoreByValue() && !backend.storesByReference()) {
      // Refused, as the specification lets a provider refuse what it does not support (and the
      // TCK expects): accepting it would either report store-by-reference untruly or change
      // what the application asked for without telling it.
      throw new UnsupportedOperationException("Cache '" + name + "' asks for store-by-reference,"
          + " which Redis mode cannot give: every value is serialized into Redis and read back"
          + " as a copy. Use store-by-value, the JCache default (setStoreByValue(true), or"
          + " store-by-value = true for the cache in CacheLayer's configuration file)");
    }
    return new CacheLayerCache<>(name, this, configuration, backend, clock, executor,
        () -> release(name));
  }

  /** "redis" or "fallback". */
  public String mode() {
    return backend.mode();
  }

  /** Asks Redis (PING, INFO) how the storage of this manager's caches is doing. */
  public io.github.cachelayer.management.CacheLayerHealth health() {
    requireOpen();
    return backend.health();
  }

  private void release(String name) {
    caches.computeIfPresent(name, (key, cache) -> cache.isClosed() ? null : cache);
  }

  /** The names of the caches created so far and of those declared in the configuration file. */
  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    Set<String> names = new TreeSet<>(caches.keySet());
    names.addAll(settings.declaredCacheNames());
    return Collections.unmodifiableSet(names);
  }

  @Override
  public void destroyCache(String cacheName) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    CacheLayerCache<?, ?> cache = caches.remove(cacheName);
    if (cache != null) {
      cache.clear();
      cache.close();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    CacheLayerCache<?, ?> cache = existing(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    CacheLayerCache<?, ?> cache = existing(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  private CacheLayerCache<?, ?> existing(String cacheName) {
    requireNonNull(cacheName, "cacheName");
    return (CacheLayerCache<?, ?>) getCache(cacheName);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (CacheLayerCache<?, ?> cache : caches.values()) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        LOG.warn("Failed to close cache '{}' of CacheManager {}", cache.getName(), uri, e);
      }
    }
    caches.clear();
    backend.close();
    provider.release(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("CacheManager " + uri + " is closed");
    }
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("CacheManager cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "CacheLayerCacheManager[" + uri + ", mode=" + backend.mode() + "]";
  }
}
