package io.github.cachelayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * This module depends on CacheLayer the way a Spring Boot application does (the starter's
 * published pom, nothing else): exactly one JCache provider must be visible, so Caching.getCachingProvider() with no
 * arguments works and Spring Boot's JCache auto-configuration applies.
 */
class PlainConsumerTest {
  @Test
  void theOnlyCachingProviderIsCacheLayers() {
    List<String> providers = new ArrayList<>();
    ServiceLoader.load(CachingProvider.class).forEach(p -> providers.add(p.getClass().getName()));
    assertEquals(List.of("io.github.cachelayer.CacheLayerCachingProvider"), providers);
    assertEquals("io.github.cachelayer.CacheLayerCachingProvider",
        Caching.getCachingProvider().getClass().getName());
  }

  @Test
  void redissonIsOnlyPresentRelocated() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.redisson.Redisson"));
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("org.redisson.jcache.JCachingProvider"));
    Class.forName("io.github.cachelayer.internal.redisson.Redisson");
  }
}
