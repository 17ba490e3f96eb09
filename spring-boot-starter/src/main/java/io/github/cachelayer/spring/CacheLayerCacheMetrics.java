package io.github.cachelayer.spring;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.management.OutageStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * Micrometer's cache meters for one CacheLayer cache, from its JCache statistics (exact, per
 * JVM): {@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions} and
 * {@code cache.removals}, the names and tags of Micrometer's own binders, so dashboards made for
 * other caches work; plus {@code cache.latency{operation=get|put|remove}}, the average time of
 * each; and in Redis mode {@code cache.outage{policy}} (1 while Redis does not serve the
 * cache), {@code cache.outage.answers} (operations the outage policy answered instead) and
 * {@code cache.outage.failures} (operations Redis could not serve, thrown or answered); with a
 * near cache {@code cache.near.hits}, {@code cache.near.invalidations} and {@code cache.near.size}.
 * The
 * statistics count only while enabled (the starter enables them).
 */
public final class CacheLayerCacheMetrics extends CacheMeterBinder<CacheLayerCache<?, ?>> {
  public CacheLayerCacheMetrics(CacheLayerCache<?, ?> cache, Iterable<Tag> tags) {
    super(cache, cache.getName(), tags);
  }

  private CacheStatisticsMXBean statistics() {
    return getCache().statistics();
  }

  /** Counting Redis entries would cost a SCAN of every master: not reported. */
  @Override
  protected Long size() {
    return null;
  }

  @Override
  protected long hitCount() {
    return statistics().getCacheHits();
  }

  @Override
  protected Long missCount() {
    return statistics().getCacheMisses();
  }

  @Override
  protected Long evictionCount() {
    return statistics().getCacheEvictions();
  }

  @Override
  protected long putCount() {
    return statistics().getCachePuts();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    FunctionCounter.builder("cache.removals", getCache(), c -> c.statistics().getCacheRemovals())
        .tags(getTagsWithCacheName())
        .description("Cache removals")
        .register(registry);
    outage(registry);
    nearCache(registry);
    latency(registry, "get", CacheStatisticsMXBean::getAverageGetTime);
    latency(registry, "put", CacheStatisticsMXBean::getAveragePutTime);
    latency(registry, "remove", CacheStatisticsMXBean::getAverageRemoveTime);
  }

  /** A cache with a near cache: how many hits it answered locally, invalidations, copies. */
  private void nearCache(MeterRegistry registry) {
    if (getCache().nearCacheStatistics() == null) {
      return;
    }
    FunctionCounter.builder("cache.near.hits", getCache(), c -> c.nearCacheStatistics().hits())
        .tags(getTagsWithCacheName())
        .description("Reads the near cache answered without Redis (also among cache.gets hits)")
        .register(registry);
    FunctionCounter.builder("cache.near.invalidations", getCache(),
            c -> c.nearCacheStatistics().invalidations())
        .tags(getTagsWithCacheName())
        .description("Keys Redis said changed, for the near cache")
        .register(registry);
    Gauge.builder("cache.near.size", getCache(), c -> c.nearCacheStatistics().size())
        .tags(getTagsWithCacheName())
        .description("Copies the near cache holds")
        .register(registry);
  }

  /** Redis mode: whether the cache is in an outage, and how many calls its policy answered. */
  private void outage(MeterRegistry registry) {
    OutageStatus status = getCache().outageStatus();
    if (status == null) {
      return; // fallback mode: there is no Redis to be out
    }
    Gauge.builder("cache.outage", getCache(), c -> c.outageStatus().inOutage() ? 1 : 0)
        .tags(Tags.concat(getTagsWithCacheName(), "policy",
            status.policy().name().toLowerCase(java.util.Locale.ROOT)))
        .description("1 while Redis does not serve the cache and its outage policy answers")
        .register(registry);
    FunctionCounter.builder("cache.outage.answers", getCache(),
            c -> c.outageStatus().answeredWithoutRedis())
        .tags(getTagsWithCacheName())
        .description("Operations the outage policy answered instead of Redis")
        .register(registry);
    FunctionCounter.builder("cache.outage.failures", getCache(),
            c -> c.outageStatus().redisFailures())
        .tags(getTagsWithCacheName())
        .description("Operations Redis could not serve (answered by the policy, or thrown)")
        .register(registry);
  }

  private void latency(MeterRegistry registry, String operation,
      ToDoubleFunction<CacheStatisticsMXBean> averageMicros) {
    TimeGauge.builder("cache.latency", getCache(), TimeUnit.MICROSECONDS,
            c -> averageMicros.applyAsDouble(c.statistics()))
        .tags(Tags.concat(getTagsWithCacheName(), "operation", operation))
        .description("Average time of a cache " + operation + ", over the statistics' lifetime")
        .register(registry);
  }
}
