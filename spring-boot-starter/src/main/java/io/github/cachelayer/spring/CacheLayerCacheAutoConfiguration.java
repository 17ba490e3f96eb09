package io.github.cachelayer.spring;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What Spring Boot's JCache support needs to run on CacheLayer by properties alone, applied before
 * Boot creates the JCache CacheManager: the application's own packages may be read back from Redis
 * on every node, and caches keep statistics for the meters.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({javax.cache.CacheManager.class, JCacheCacheManager.class})
public class CacheLayerCacheAutoConfiguration {
  /**
   * Adds the application's packages ({@code @SpringBootApplication}'s and any
   * {@code @AutoConfigurationPackage}) to every cache's allow-list: a {@code @Cacheable} value of
   * an application class written by one node must be readable by the others.
   */
  @Bean
  JCachePropertiesCustomizer cacheLayerApplicationPackages(BeanFactory beanFactory) {
    return properties -> allow(properties, AutoConfigurationPackages.has(beanFactory)
        ? AutoConfigurationPackages.get(beanFactory) : List.of());
  }

  /**
   * A {@link RedisCredentialsProvider} bean of the application gives Redis its credentials
   * (tokens, rotated passwords), renewed on every connection before they expire.
   */
  @Bean
  JCachePropertiesCustomizer cacheLayerCredentialsProvider(
      ObjectProvider<RedisCredentialsProvider> credentials) {
    return properties -> {
      RedisCredentialsProvider provider = credentials.getIfUnique();
      if (provider != null) {
        properties.put(RedisCredentialsProvider.PROPERTY, provider);
      }
    };
  }

  static void allow(Properties properties, List<String> packages) {
    if (packages.isEmpty()) {
      return;
    }
    String allowed = packages.stream().map(name -> name + ".*")
        .collect(Collectors.joining(","));
    String earlier = properties.getProperty(CacheLayerCachingProvider.CODEC_ALLOW_PROPERTY);
    properties.setProperty(CacheLayerCachingProvider.CODEC_ALLOW_PROPERTY,
        earlier == null || earlier.isBlank() ? allowed : earlier + "," + allowed);
  }

  /**
   * The configuration of the caches {@code spring.cache.cache-names} creates: the specification's
   * defaults (store by value, eternal) with statistics on, so the meters count.
   */
  @Bean
  @ConditionalOnMissingBean(javax.cache.configuration.Configuration.class)
  MutableConfiguration<Object, Object> cacheLayerDefaultCacheConfiguration() {
    return withStatistics();
  }

  private static MutableConfiguration<Object, Object> withStatistics() {
    return new MutableConfiguration<>().setStatisticsEnabled(true);
  }

  /**
   * Boot's JCache cache manager, when it runs on CacheLayer, becomes CacheLayer's own
   * ({@link CacheLayerSpringCacheManager}: asynchronous {@code @Cacheable}, one load across nodes
   * for {@code sync = true}); without {@code spring.cache.cache-names}, caches are made when
   * first named (as Boot's Caffeine and Redis support do), instead of "Cannot find cache named
   * ..." at the first call. An application's own cache manager bean is left as it is.
   */
  @Bean
  static BeanPostProcessor cacheLayerSpringCacheManager(Environment environment,
      ObjectProvider<javax.cache.configuration.Configuration<?, ?>> defaults) {
    return new BeanPostProcessor() {
      @Override
      @SuppressWarnings("unchecked")
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean.getClass() != JCacheCacheManager.class) {
          return bean; // the application's own manager
        }
        JCacheCacheManager given = (JCacheCacheManager) bean;
        if (!(given.getCacheManager() instanceof CacheLayerCacheManager cacheLayer)) {
          return bean;
        }
        CacheLayerSpringCacheManager ours = new CacheLayerSpringCacheManager(cacheLayer,
            () -> (javax.cache.configuration.Configuration<Object, Object>)
                defaults.getIfAvailable(CacheLayerCacheAutoConfiguration::withStatistics),
            namesNoCaches(environment));
        ours.setAllowNullValues(given.isAllowNullValues());
        ours.setTransactionAware(given.isTransactionAware());
        ours.afterPropertiesSet();
        return ours;
      }
    };
  }

  private static boolean namesNoCaches(Environment environment) {
    return Binder.get(environment).bind("spring.cache.cache-names", Bindable.listOf(String.class))
        .map(List::isEmpty).orElse(true);
  }

  /** Statistics on for the caches declared in CacheLayer's file too, which Boot binds meters to. */
  @Bean
  JCacheManagerCustomizer cacheLayerStatistics() {
    return manager -> {
      if (manager.getCachingProvider() instanceof CacheLayerCachingProvider) {
        for (String name : manager.getCacheNames()) {
          manager.enableStatistics(name, true);
        }
      }
    };
  }
}
