package io.github.cachelayer.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * The helper suite on Caffeine's JCache provider (no CacheLayer on the class path): the helpers
 * use the standard API only. Caffeine's expiry runs on real time, so the session expiry tests
 * sleep.
 */
class HelpersOnCaffeineTest extends HelperSuite.OnRealTime {
  private static final String CAFFEINE =
      "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";

  @Override
  protected CacheManager openManager() {
    CachingProvider provider = Caching.getCachingProvider(CAFFEINE);
    return provider.getCacheManager(URI.create("helpers-" + UUID.randomUUID()),
        getClass().getClassLoader());
  }


  @Test
  void theSuiteRunsOnCaffeineNotOnCacheLayer() {
    assertEquals(CAFFEINE, manager.getCachingProvider().getClass().getName());
    assertEquals(1, countProviders(), "only Caffeine's provider is on this module's class path");
  }

  private static int countProviders() {
    int count = 0;
    for (CachingProvider ignored : Caching.getCachingProviders()) {
      count++;
    }
    return count;
  }
}
