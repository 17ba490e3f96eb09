package io.github.cachelayer.testing;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.cache.CacheManager;

/**
 * Opens CacheManagers for tests: each on its own URI, with an empty environment (so a REDIS_URL
 * on the machine cannot change the mode) and, optionally, a test clock.
 */
public final class Managers {
  public static final CacheLayerCachingProvider PROVIDER = new CacheLayerCachingProvider();

  private Managers() {}

  public static CacheManager fresh() {
    return open(URI.create("test-" + UUID.randomUUID()), Clock.SYSTEM, Map.of());
  }

  public static CacheManager fresh(Clock clock) {
    return open(URI.create("test-" + UUID.randomUUID()), clock, Map.of());
  }

  /**
   * A manager from a provider of its own, as another JVM would open it: two of these on one URI
   * are two managers sharing only what Redis holds.
   */
  public static CacheManager inOwnProvider(String uri, Map<String, String> environment) {
    return inOwnProvider(uri, Clock.SYSTEM, environment);
  }

  /** {@link #inOwnProvider(String, Map)} on a given clock. */
  public static CacheManager inOwnProvider(String uri, Clock clock,
      Map<String, String> environment) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.CLOCK, clock);
    properties.put(ManagerOverrides.ENVIRONMENT, environment);
    return new CacheLayerCachingProvider().getCacheManager(URI.create(uri),
        Managers.class.getClassLoader(), properties);
  }

  /**
   * {@link #inOwnProvider(String, Map)} with {@code cachelayer.redis.*} settings for this
   * manager alone (short timeouts for the fault tests).
   */
  public static CacheManager inOwnProvider(String uri, Map<String, String> environment,
      Map<String, String> redisSettings) {
    Map<String, String> settings = new java.util.HashMap<>();
    redisSettings.forEach((key, value) -> settings.put("cachelayer.redis." + key, value));
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, environment);
    properties.put(ManagerOverrides.SETTINGS, settings);
    return new CacheLayerCachingProvider().getCacheManager(URI.create(uri),
        Managers.class.getClassLoader(), properties);
  }

  public static CacheManager open(URI uri, Clock clock, Map<String, String> environment) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.CLOCK, clock);
    properties.put(ManagerOverrides.ENVIRONMENT, environment);
    return PROVIDER.getCacheManager(uri, Managers.class.getClassLoader(), properties);
  }
}
