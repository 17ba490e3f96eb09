package io.github.cachelayer.spring.session;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import org.springframework.util.ClassUtils;

/**
 * Spring Session on CacheLayer by dependency alone: with {@code spring-session-core} on the class
 * path and no session repository of the application's own (or of another store's
 * auto-configuration), a servlet application's {@code HttpSession} is kept by
 * {@link CacheLayerSessionRepository}, a WebFlux application's {@code WebSession} by
 * {@link CacheLayerReactiveSessionRepository}: shared by every instance on one Redis, local in
 * fallback mode. {@code cachelayer.session.enabled=false} turns it off.
 */
// After the other stores' session auto-configurations (their repository wins), before
// WebFlux's (which defines a default WebSessionManager unless Spring Session's is there).
@AutoConfiguration(afterName = {
    "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
    "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration"},
    beforeName = {
        "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
        "org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration"})
@ConditionalOnClass({Session.class, SessionManager.class})
@ConditionalOnWebApplication
@ConditionalOnProperty(prefix = "cachelayer.session", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CacheLayerSessionProperties.class)
public class CacheLayerSessionAutoConfiguration {
  /** Boot's default idle timeout of a servlet session. */
  static final Duration BOOT_DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  /** What Spring Security keeps in a session: its classes must read back on every instance. */
  static final String SECURITY_CLASSES = "org.springframework.security.*";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnMissingBean(SessionRepository.class)
  @EnableSpringHttpSession
  static class ServletSessions {
    @Bean
    CacheLayerSessionRepository sessionRepository(CacheLayer cacheLayer,
        CacheLayerSessionProperties properties, Environment environment,
        BeanFactory beanFactory, ApplicationEventPublisher events) {
      return repository(cacheLayer, properties, timeout(environment, "servlet"), beanFactory,
          events);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "reactor.core.publisher.Mono")
  @ConditionalOnMissingBean(ReactiveSessionRepository.class)
  @EnableSpringWebSession
  static class ReactiveSessions {
    @Bean
    CacheLayerReactiveSessionRepository reactiveSessionRepository(CacheLayer cacheLayer,
        CacheLayerSessionProperties properties, Environment environment,
        BeanFactory beanFactory, ApplicationEventPublisher events) {
      return new CacheLayerReactiveSessionRepository(repository(cacheLayer, properties,
          timeout(environment, "reactive"), beanFactory, events));
    }
  }

  static CacheLayerSessionRepository repository(CacheLayer cacheLayer,
      CacheLayerSessionProperties properties, Duration timeout, BeanFactory beanFactory,
      ApplicationEventPublisher events) {
    Duration longest = properties.getLongestInactiveInterval() == null ? timeout
        : properties.getLongestInactiveInterval();
    if (longest.compareTo(timeout) < 0) {
      throw new IllegalStateException("cachelayer.session.longest-inactive-interval ("
          + longest + ") is shorter than the session timeout (" + timeout + ")");
    }
    if (properties.getMaxLifetime().compareTo(longest) < 0) {
      throw new IllegalStateException("cachelayer.session.max-lifetime ("
          + properties.getMaxLifetime() + ") is shorter than the longest inactive interval ("
          + longest + ")");
    }
    CacheManager manager = cacheLayer.cacheManager();
    List<String> allowed = new ArrayList<>();
    if (AutoConfigurationPackages.has(beanFactory)) {
      AutoConfigurationPackages.get(beanFactory).forEach(name -> allowed.add(name + ".*"));
    }
    if (ClassUtils.isPresent("org.springframework.security.core.context.SecurityContext",
        CacheLayerSessionAutoConfiguration.class.getClassLoader())) {
      allowed.add(SECURITY_CLASSES);
    }
    SessionManager sessions = SessionManager.builder(manager)
        .idleTimeout(longest)
        .maxLifetime(properties.getMaxLifetime())
        .cacheNames(properties.getCacheName(), properties.getIndexCacheName())
        .sessionCacheSettings(configuration -> allowing(manager, configuration, allowed))
        .build();
    return new CacheLayerSessionRepository(sessions, timeout, longest, events,
        Clock.systemUTC());
  }

  /**
   * On CacheLayer, the session cache may read back the application's classes and Spring
   * Security's from any instance (a cache otherwise reads only classes it wrote itself, in this
   * JVM, or allowed ones).
   */
  static CompleteConfiguration<String, io.github.cachelayer.session.Session> allowing(
      CacheManager manager,
      CompleteConfiguration<String, io.github.cachelayer.session.Session> configuration,
      List<String> allowed) {
    if (allowed.isEmpty()
        || !(manager.getCachingProvider() instanceof CacheLayerCachingProvider)) {
      return configuration;
    }
    CacheLayerConfiguration<String, io.github.cachelayer.session.Session> ours =
        new CacheLayerConfiguration<>(configuration);
    List<String> classes = new ArrayList<>(ours.getAllowedClasses());
    classes.addAll(allowed);
    return ours.setAllowedClasses(classes);
  }

  /**
   * Spring Boot's session timeout: {@code spring.session.timeout}, else
   * {@code server.<kind>.session.timeout}, else 30 minutes.
   *
   * @param kind {@code servlet} or {@code reactive}
   */
  static Duration timeout(Environment environment, String kind) {
    Binder binder = Binder.get(environment);
    String server = "server." + kind + ".session.timeout";
    Duration timeout = binder.bind("spring.session.timeout", Duration.class)
        .orElseGet(() -> binder.bind(server, Duration.class).orElse(BOOT_DEFAULT_TIMEOUT));
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalStateException("The session timeout must be positive, was " + timeout
          + " (spring.session.timeout / " + server + ")");
    }
    return timeout;
  }
}
