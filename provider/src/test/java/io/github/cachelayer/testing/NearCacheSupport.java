package io.github.cachelayer.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.management.NearCacheStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;

/** Near caches in tests: a cache of strings with one, its statistics, waiting for it. */
public final class NearCacheSupport {
  private NearCacheSupport() {}

  /** A cache of strings with statistics and a near cache of 1,000 copies. */
  public static Cache<String, String> nearCache(CacheManager manager, String name) {
    CacheLayerConfiguration<String, String> configuration =
        nearConfiguration(1_000, Duration.ofMinutes(10));
    configuration.setStatisticsEnabled(true);
    return manager.createCache(name, configuration);
  }

  /** The configuration of a cache of strings with a near cache of these settings. */
  public static CacheLayerConfiguration<String, String> nearConfiguration(long maximumSize,
      Duration ttl) {
    CacheLayerConfiguration<String, String> configuration = new CacheLayerConfiguration<>();
    configuration.setTypes(String.class, String.class);
    configuration.setNearCache(new NearCacheSettings(maximumSize, ttl));
    return configuration;
  }

  /** How many near-cache invalidation connections a node's CLIENT LIST shows. */
  public static long nearConnections(Object clientList) {
    return String.valueOf(clientList).lines()
        .filter(line -> line.contains("name=cachelayer-near-cache")).count();
  }

  public static NearCacheStatistics near(Cache<?, ?> cache) {
    return cache.unwrap(CacheLayerCache.class).nearCacheStatistics();
  }

  /** Until the near cache serves copies (its invalidation connections proved themselves). */
  public static void awaitServing(Cache<?, ?> cache) throws InterruptedException {
    assertEventually(() -> near(cache).serving());
  }

  /**
   * Until a read of {@code key} is a near hit with {@code value}: a write's own invalidation may
   * come after the first read and drop the copy it kept (a miss, not a stale read).
   */
  public static void awaitNearHit(Cache<String, String> cache, String key, String value)
      throws InterruptedException {
    assertEventually(() -> {
      long hits = near(cache).hits();
      return value.equals(cache.get(key)) && near(cache).hits() > hits;
    });
  }

  public static void assertEventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      Thread.sleep(10);
    }
  }

  /**
   * Reads {@code key} through {@code plain} (a cache without near cache: what Redis holds now),
   * then through {@code near} until it reads the same or {@code windowMillis} plus 300 ms
   * passed. Values end in a round number ({@code "v12"}); a near read that began more than
   * {@code windowMillis} after Redis answered a later round, and returned an earlier one, is
   * stale and described in the result. Comparing with Redis rather than with the acknowledged
   * writes keeps what a failover itself loses (acknowledged writes the promoted replica never
   * had) out of the near cache's account.
   */
  public static List<String> nearLagsRedis(Cache<String, String> near,
      Cache<String, String> plain, String key, long windowMillis) {
    String truth = plain.get(key);
    long answered = System.nanoTime();
    List<String> stale = new ArrayList<>();
    if (truth == null) {
      return stale; // Redis did not answer (bypass): nothing to compare with
    }
    long window = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    while (System.nanoTime() - answered < window + TimeUnit.MILLISECONDS.toNanos(300)) {
      long start = System.nanoTime();
      String seen = near.get(key);
      if (truth.equals(seen)) {
        break;
      }
      if (seen != null && round(seen) < round(truth) && start - answered > window) {
        stale.add(key + ": " + seen + " while Redis had " + truth);
      }
    }
    return stale;
  }

  private static int round(String value) {
    int digits = value.length();
    while (digits > 0 && Character.isDigit(value.charAt(digits - 1))) {
      digits--;
    }
    return Integer.parseInt(value.substring(digits));
  }
}
