package io.github.cachelayer.spring;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.cache.CacheLayerCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.configuration.Configuration;
import org.springframework.cache.Cache;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;

/**
 * Spring's JCache cache manager over a CacheLayer manager, in place of the one Boot makes: its
 * caches are {@link CacheLayerSpringCache}s (asynchronous retrieval, one load across nodes),
 * still {@link JCacheCache}s for Boot's meters. Unless the set of caches is fixed
 * ({@code spring.cache.cache-names}), a cache is created the first time it is named, as Boot's
 * Caffeine and Redis cache managers do, instead of failing with "Cannot find cache named ...";
 * new caches take the default configuration (the application's {@code Configuration} bean, else
 * statistics on), or what CacheLayer's file declares for that name.
 */
final class CacheLayerSpringCacheManager extends JCacheCacheManager {
  private final Supplier<Configuration<Object, Object>> defaults;
  private final boolean createsMissing;
  private volatile Consumer<Cache> onCreate = cache -> { };

  CacheLayerSpringCacheManager(CacheLayerCacheManager cacheManager,
      Supplier<Configuration<Object, Object>> defaults, boolean createsMissing) {
    super(cacheManager);
    this.defaults = defaults;
    this.createsMissing = createsMissing;
  }

  /** Called with each cache made here after start-up (the meters bind it). */
  void onCreate(Consumer<Cache> onCreate) {
    this.onCreate = onCreate;
  }

  @Override
  protected Collection<Cache> loadCaches() {
    javax.cache.CacheManager manager = getCacheManager();
    Collection<Cache> caches = new ArrayList<>();
    if (manager != null) {
      for (String name : manager.getCacheNames()) {
        javax.cache.Cache<Object, Object> cache = manager.getCache(name);
        if (cache != null) {
          caches.add(adapt(cache));
        }
      }
    }
    return caches;
  }

  @Override
  protected Cache getMissingCache(String name) {
    javax.cache.CacheManager manager = getCacheManager();
    if (manager == null) {
      return null;
    }
    javax.cache.Cache<Object, Object> cache = manager.getCache(name);
    if (cache != null) {
      return adapt(cache); // declared in CacheLayer's file, or created by the application
    }
    if (!createsMissing) {
      return null;
    }
    try {
      cache = manager.createCache(name, defaults.get());
    } catch (CacheException raced) {
      cache = manager.getCache(name); // another thread created it first
      if (cache == null) {
        throw raced;
      }
      return adapt(cache);
    }
    Cache spring = adapt(cache);
    onCreate.accept(spring);
    return spring;
  }

  @SuppressWarnings("unchecked")
  private Cache adapt(javax.cache.Cache<Object, Object> cache) {
    if (cache instanceof CacheLayerCache<?, ?> ours) {
      return new CacheLayerSpringCache((CacheLayerCache<Object, Object>) ours,
          "fallback".equals(((CacheLayerCacheManager) getCacheManager()).mode()),
          isAllowNullValues());
    }
    return new JCacheCache(cache, isAllowNullValues());
  }
}
