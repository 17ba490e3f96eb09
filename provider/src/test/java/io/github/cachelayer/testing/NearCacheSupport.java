package io.github.cachelayer.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.store.near.NearCacheStatistics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;

/** Near caches in tests: a cache of strings with one, its statistics, waiting for it. */
public final class NearCacheSupport {
  private NearCacheSupport() {}

  /** A cache of strings with statistics and a near cache of 1,000 copies. */
  public static Cache<String, String> nearCache(CacheManager manager, String name) {
    CacheLayerConfiguration<String, String> configuration = new CacheLayerConfiguration<>();
    configuration.setTypes(String.class, String.class);
    configuration.setStatisticsEnabled(true);
    configuration.setNearCache(new NearCacheSettings(1_000, Duration.ofMinutes(10)));
    return manager.createCache(name, configuration);
  }

  public static NearCacheStatistics near(Cache<?, ?> cache) {
    return cache.unwrap(CacheLayerCache.class).nearCacheStatistics();
  }

  /** Until the near cache serves copies (its invalidation connections proved themselves). */
  public static void awaitServing(Cache<?, ?> cache) throws InterruptedException {
    assertEventually(() -> near(cache).serving());
  }

  public static void assertEventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      Thread.sleep(10);
    }
  }
}
