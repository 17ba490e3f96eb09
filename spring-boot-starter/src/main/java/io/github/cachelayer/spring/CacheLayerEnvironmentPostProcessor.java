package io.github.cachelayer.spring;

import io.github.cachelayer.CacheLayerCachingProvider;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names CacheLayer as Spring Boot's JCache provider ({@code spring.cache.jcache.provider}), at
 * the lowest precedence: Boot's JCache support then picks it even when another JSR-107 provider is
 * on the class path, and an application that names a provider itself still wins.
 */
public final class CacheLayerEnvironmentPostProcessor implements EnvironmentPostProcessor {
  static final String PROVIDER_PROPERTY = "spring.cache.jcache.provider";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment,
      SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource("cachelayer-defaults",
        Map.of(PROVIDER_PROPERTY, CacheLayerCachingProvider.class.getName())));
  }
}
