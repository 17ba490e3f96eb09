package io.github.cachelayer.util;

import java.util.Map;
import java.util.Properties;

/**
 * Properties that replace what a CacheManager reads from the process, so tests and benchmarks can
 * run managers with another clock or environment side by side in one JVM. Not part of the API:
 * applications configure managers through the environment and configuration files.
 */
public final class ManagerOverrides {
  /** A {@link Clock} under this key in the manager's properties replaces the system clock. */
  public static final String CLOCK = "io.github.cachelayer.clock";
  /**
   * A {@code Map<String, String>} under this key replaces the process environment when reading
   * REDIS_URL and friends.
   */
  public static final String ENVIRONMENT = "io.github.cachelayer.environment";
  /**
   * A {@code Map<String, String>} under this key sets configuration paths (such as
   * {@code cachelayer.redis.timeout}) for this manager alone, above its file and the system
   * properties: tests give managers settings without touching the JVM's system properties.
   */
  public static final String SETTINGS = "io.github.cachelayer.settings";

  private ManagerOverrides() {}

  @SuppressWarnings("unchecked")
  public static Map<String, String> environment(Properties properties) {
    Object environment = properties.get(ENVIRONMENT);
    return environment instanceof Map<?, ?> map ? (Map<String, String>) map : System.getenv();
  }

  @SuppressWarnings("unchecked")
  public static Map<String, String> settings(Properties properties) {
    Object settings = properties.get(SETTINGS);
    return settings instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
  }

  public static Clock clock(Properties properties) {
    return properties.get(CLOCK) instanceof Clock clock ? clock : Clock.SYSTEM;
  }
}
