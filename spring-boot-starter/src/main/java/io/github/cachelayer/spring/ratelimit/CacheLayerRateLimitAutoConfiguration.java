package io.github.cachelayer.spring.ratelimit;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.spring.CacheLayerAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rate limits for web applications by properties ({@code cachelayer.rate-limit.rules.*}) and
 * {@link RateLimited}: a servlet filter and handler interceptor, or a WebFlux filter, over the
 * rate limiter helper on the application's CacheLayer caches (so shared by every instance on one
 * Redis). Bad rules fail start-up naming the property.
 */
@AutoConfiguration(after = CacheLayerAutoConfiguration.class)
@ConditionalOnClass(RateLimiter.class)
@ConditionalOnWebApplication
@ConditionalOnProperty(prefix = "cachelayer.rate-limit", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class CacheLayerRateLimitAutoConfiguration {
  @Bean
  RateLimitRules cacheLayerRateLimitRules(RateLimitProperties properties,
      CacheLayer cacheLayer) {
    return new RateLimitRules(properties, cacheLayer.cacheManager());
  }

  @Bean
  @ConditionalOnMissingBean
  RateLimitMetrics cacheLayerRateLimitMetrics(ApplicationContext context) {
    if (org.springframework.util.ClassUtils.isPresent(
        "io.micrometer.core.instrument.MeterRegistry", getClass().getClassLoader())) {
      return Meters.of(context);
    }
    return RateLimitMetrics.NONE;
  }

  /** Kept apart so that nothing loads Micrometer's classes unless they are there. */
  static final class Meters implements RateLimitMetrics {
    private final io.micrometer.core.instrument.MeterRegistry registry;
    /** One counter per rule and outcome, found without building a meter id per request. */
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> counters =
        new java.util.concurrent.ConcurrentHashMap<>();

    private Meters(io.micrometer.core.instrument.MeterRegistry registry) {
      this.registry = registry;
    }

    static RateLimitMetrics of(ApplicationContext context) {
      ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registries =
          context.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class);
      io.micrometer.core.instrument.MeterRegistry registry = registries.getIfUnique();
      return registry == null ? RateLimitMetrics.NONE : new Meters(registry);
    }

    @Override
    public void count(String rule, String outcome) {
      counters.computeIfAbsent(rule + '\n' + outcome, key -> io.micrometer.core.instrument
          .Counter.builder("cachelayer.ratelimit.requests")
          .description("Requests a rate limit decided, by outcome")
          .tag("rule", rule).tag("outcome", outcome)
          .register(registry)).increment();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.servlet.HandlerInterceptor")
  static class Servlet {
    @Bean
    FilterRegistrationBean<RateLimitFilter> cacheLayerRateLimitFilter(RateLimitRules rules,
        RateLimitMetrics metrics) {
      FilterRegistrationBean<RateLimitFilter> registration =
          new FilterRegistrationBean<>(new RateLimitFilter(rules, metrics));
      registration.setName("cacheLayerRateLimitFilter");
      // After Spring Security's filter chain (-100), so that a principal is known.
      registration.setOrder(0);
      return registration;
    }

    @Bean
    org.springframework.web.servlet.config.annotation.WebMvcConfigurer
        cacheLayerRateLimitInterceptor(RateLimitRules rules, RateLimitMetrics metrics) {
      RateLimitInterceptor interceptor = new RateLimitInterceptor(rules, metrics);
      return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
        @Override
        public void addInterceptors(
            org.springframework.web.servlet.config.annotation.InterceptorRegistry registry) {
          registry.addInterceptor(interceptor);
        }
      };
    }

    /** Every {@code @RateLimited} handler method names a rule, or start-up fails. */
    @Bean
    SmartInitializingSingleton cacheLayerRateLimitedHandlers(RateLimitRules rules,
        ApplicationContext context) {
      return () -> context.getBeansOfType(
              org.springframework.web.servlet.mvc.method.annotation
                  .RequestMappingHandlerMapping.class)
          .values().forEach(mapping -> mapping.getHandlerMethods().values()
              .forEach(rules::forHandler));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
  static class Reactive {
    @Bean
    RateLimitWebFilter cacheLayerRateLimitWebFilter(RateLimitRules rules,
        RateLimitMetrics metrics, ApplicationContext context) {
      return new RateLimitWebFilter(rules, metrics, context.getBeanProvider(
          org.springframework.web.reactive.result.method.annotation
              .RequestMappingHandlerMapping.class).getIfUnique());
    }

    /** Every {@code @RateLimited} handler method names a rule, or start-up fails. */
    @Bean
    SmartInitializingSingleton cacheLayerRateLimitedHandlers(RateLimitRules rules,
        ApplicationContext context) {
      return () -> context.getBeansOfType(
              org.springframework.web.reactive.result.method.annotation
                  .RequestMappingHandlerMapping.class)
          .values().forEach(mapping -> mapping.getHandlerMethods().values()
              .forEach(rules::forHandler));
    }
  }
}
