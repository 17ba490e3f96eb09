package io.github.cachelayer.spring;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.CacheLayerCachingProvider;
import javax.cache.CacheManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link CacheLayer} bean (on the JCache CacheManager Spring's caching uses, or on CacheLayer's
 * default manager when the application has none), the {@code cachelayer} health indicator and
 * CacheLayer's Micrometer meters for every cache Boot binds. Each backs off when the application
 * defines its own.
 */
@AutoConfiguration(after = CacheAutoConfiguration.class,
    before = CacheMetricsAutoConfiguration.class)
@ConditionalOnClass(CacheManager.class)
public class CacheLayerAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  CacheLayer cacheLayer(ObjectProvider<CacheManager> cacheManagers,
      ConfigurableListableBeanFactory beanFactory) {
    CacheManager manager = cacheManagers.getIfUnique();
    if (manager == null || !(manager.getCachingProvider() instanceof CacheLayerCachingProvider)) {
      // The JVM's one CacheLayer provider (as Caching hands it out), so the default manager, and
      // its Redis client, is shared with any other user of it.
      manager = javax.cache.Caching.getCachingProvider(CacheLayerCachingProvider.class.getName())
          .getCacheManager();
      // Closed with the context, as Boot closes the JCache manager it opens (the same default
      // one): its Redis client's threads would otherwise keep the JVM alive after main returns.
      if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
        registry.registerDisposableBean("cacheLayerDefaultCacheManager", manager::close);
      }
    }
    return CacheLayer.of(manager);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("cachelayer")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "cachelayerHealthIndicator")
    CacheLayerHealthIndicator cachelayerHealthIndicator(CacheLayer cacheLayer) {
      return new CacheLayerHealthIndicator(cacheLayer);
    }
  }

  /** Takes the place of Boot's JCache binder (it backs off), for every JCache cache. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({io.micrometer.core.instrument.MeterRegistry.class,
      JCacheCacheMeterBinderProvider.class})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean(JCacheCacheMeterBinderProvider.class)
    CacheLayerMeterBinderProvider cacheLayerMeterBinderProvider() {
      return new CacheLayerMeterBinderProvider();
    }

    /** Caches made on first use get their meters then, as Boot binds the others at start-up. */
    @Bean
    SmartInitializingSingleton cacheLayerBindsCreatedCaches(
        ObjectProvider<CacheLayerSpringCacheManager> managers,
        ObjectProvider<CacheMetricsRegistrar> registrars) {
      return () -> {
        CacheMetricsRegistrar registrar = registrars.getIfUnique();
        if (registrar != null) {
          managers.forEach(manager -> manager.onCreate(cache -> registrar.bindCacheToRegistry(
              cache, io.micrometer.core.instrument.Tag.of("cache.manager", "cache"))));
        }
      };
    }
  }
}
