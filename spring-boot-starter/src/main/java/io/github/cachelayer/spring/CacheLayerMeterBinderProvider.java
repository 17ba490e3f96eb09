package io.github.cachelayer.spring;

import io.github.cachelayer.cache.CacheLayerCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider;
import org.springframework.cache.jcache.JCacheCache;

/**
 * Binds CacheLayer's caches with {@link CacheLayerCacheMetrics}, which reads their statistics
 * directly (no MBean server needed) and adds latency; any other provider's caches get Boot's own
 * JCache binder.
 */
public class CacheLayerMeterBinderProvider extends JCacheCacheMeterBinderProvider {
  public CacheLayerMeterBinderProvider() {
    super(true);
  }

  @Override
  public MeterBinder getMeterBinder(JCacheCache cache, Iterable<Tag> tags) {
    return cache.getNativeCache() instanceof CacheLayerCache<?, ?> ours
        ? new CacheLayerCacheMetrics(ours, tags) : super.getMeterBinder(cache, tags);
  }
}
