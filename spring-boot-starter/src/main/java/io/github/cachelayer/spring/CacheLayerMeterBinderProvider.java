package io.github.cachelayer.spring;

import io.github.cachelayer.cache.CacheLayerCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider;
import org.springframework.cache.jcache.JCacheCache;

/**
 * Binds CacheLayer's caches with {@link CacheLayerCacheMetrics}, which reads their statistics
 * directly (no MBean server needed) and adds latency; any other provider's caches get
 * Micrometer's JCache binder, removals as a function counter (what Boot 4's
 * {@code JCacheCacheMeterBinderProvider(true)} does, written out so that Boot 3, which has only
 * the constructor without arguments, builds the same source).
 */
public class CacheLayerMeterBinderProvider extends JCacheCacheMeterBinderProvider {
  public CacheLayerMeterBinderProvider() {
    super();
  }

  @Override
  public MeterBinder getMeterBinder(JCacheCache cache, Iterable<Tag> tags) {
    return cache.getNativeCache() instanceof CacheLayerCache<?, ?> ours
        ? new CacheLayerCacheMetrics(ours, tags)
        : new JCacheMetrics<>(cache.getNativeCache(), tags, true);
  }
}
