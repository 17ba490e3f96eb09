package io.github.cachelayer.tiers;

import io.github.cachelayer.testing.redis.RedisServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The system properties a slow-tier suite runs its tests under, set before its first test and
 * restored after its last: suites share forks, and the next one must find the fork as it was.
 */
final class SuiteSettings {
  private static final Map<String, String> previous = new HashMap<>();

  private SuiteSettings() {}

  static synchronized void set(Map<String, String> properties) {
    properties.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
  }

  static synchronized void restore() {
    previous.forEach((key, value) -> {
      if (value == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, value);
      }
    });
    previous.clear();
  }

  /** Runs what follows on the embedded Redis 6.2, refusing to run on anything else. */
  static void onOldestRedis(Map<String, String> more) {
    Map<String, String> properties = new HashMap<>(more);
    properties.put("test.redis.binary", "embedded");
    set(properties);
    try (RedisServer probe = RedisServer.start()) {
      String version = probe.version();
      if (!version.startsWith("6.2.")) {
        throw new IllegalStateException("A suite for Redis 6.2 found " + version);
      }
      System.out.println("This suite runs on redis-server " + version + " under " + properties);
    }
  }
}
