package io.github.cachelayer.spring;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.configuration.Configuration;
import org.springframework.cache.Cache;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;

/**
 * Spring's JCache cache manager that creates a cache the first time it is named, as Boot's
 * Caffeine and Redis cache managers do when {@code spring.cache.cache-names} is not set, instead
 * of failing with "Cannot find cache named ...". New caches take the default configuration (the
 * application's {@code Configuration} bean, else statistics on), or what CacheLayer's file
 * declares for that name.
 */
final class CreatingJCacheCacheManager extends JCacheCacheManager {
  private final Supplier<Configuration<Object, Object>> defaults;
  private volatile Consumer<Cache> onCreate = cache -> { };

  CreatingJCacheCacheManager(javax.cache.CacheManager cacheManager,
      Supplier<Configuration<Object, Object>> defaults) {
    super(cacheManager);
    this.defaults = defaults;
  }

  /** Called with each cache made here (the meters bind it). */
  void onCreate(Consumer<Cache> onCreate) {
    this.onCreate = onCreate;
  }

  @Override
  protected Cache getMissingCache(String name) {
    javax.cache.CacheManager manager = getCacheManager();
    if (manager == null) {
      return null;
    }
    javax.cache.Cache<Object, Object> cache = manager.getCache(name);
    boolean created = false;
    if (cache == null) {
      try {
        cache = manager.createCache(name, defaults.get());
        created = true;
      } catch (CacheException raced) {
        cache = manager.getCache(name); // another thread created it first
        if (cache == null) {
          throw raced;
        }
      }
    }
    Cache spring = new JCacheCache(cache, isAllowNullValues());
    if (created) {
      onCreate.accept(spring);
    }
    return spring;
  }
}
