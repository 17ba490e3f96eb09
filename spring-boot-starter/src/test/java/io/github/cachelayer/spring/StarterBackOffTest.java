package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.CacheLayerCachingProvider;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's beans give way to the application's own. */
class StarterBackOffTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CacheLayerCacheAutoConfiguration.class,
          CacheLayerAutoConfiguration.class));

  @Test
  void definesItsBeansWhenTheApplicationHasNone() {
    runner.run(context -> {
      assertEquals("fallback", context.getBean(CacheLayer.class).mode());
      assertInstanceOf(CacheLayerMeterBinderProvider.class,
          context.getBean(JCacheCacheMeterBinderProvider.class));
      assertInstanceOf(CacheLayerHealthIndicator.class,
          context.getBean("cachelayerHealthIndicator"));
    });
  }

  /**
   * Without a JCache manager of Boot's, the starter uses the JVM's default one; it closes it with
   * the context, as Boot closes the one it opens: an open Redis client keeps a JVM from exiting.
   */
  @Test
  void theDefaultManagerItUsesClosesWithTheContext() {
    javax.cache.CacheManager[] used = new javax.cache.CacheManager[1];
    runner.run(context -> {
      used[0] = context.getBean(CacheLayer.class).cacheManager();
      assertFalse(used[0].isClosed());
    });
    assertTrue(used[0].isClosed());
  }

  @Test
  void backsOffWhenTheApplicationDefinesThem() {
    CacheLayer own = CacheLayer.of(new CacheLayerCachingProvider().getCacheManager(
        URI.create("own"), getClass().getClassLoader(), new Properties()));
    JCacheCacheMeterBinderProvider binders = new JCacheCacheMeterBinderProvider();
    runner.withBean(CacheLayer.class, () -> own)
        .withBean(JCacheCacheMeterBinderProvider.class, () -> binders)
        .run(context -> {
          assertSame(own, context.getBean(CacheLayer.class));
          assertSame(binders, context.getBean(JCacheCacheMeterBinderProvider.class));
        });
  }

  @Test
  void worksWithoutActuatorAndMicrometer() {
    runner.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
            org.springframework.boot.health.contributor.HealthIndicator.class,
            io.micrometer.core.instrument.MeterRegistry.class))
        .run(context -> {
          assertEquals(null, context.getStartupFailure());
          assertEquals("fallback", context.getBean(CacheLayer.class).mode());
          assertEquals(0, context.getBeanNamesForType(CacheLayerHealthIndicator.class).length);
          assertEquals(0, context.getBeanNamesForType(CacheLayerMeterBinderProvider.class).length);
        });
  }

  @Test
  void theApplicationsPackagesAddToAnAllowListGivenBefore() {
    Properties properties = new Properties();
    properties.setProperty("cachelayer.codec.allow", "com.example.shared.*");
    CacheLayerCacheAutoConfiguration.allow(properties, List.of("com.example.books", "org.acme"));
    assertEquals("com.example.shared.*,com.example.books.*,org.acme.*",
        properties.getProperty("cachelayer.codec.allow"));
  }
}
