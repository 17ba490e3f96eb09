package io.github.cachelayer.config;

import com.typesafe.config.ConfigObject;
import java.util.Set;
import java.util.TreeSet;

/** Rejects keys CacheLayer does not know, so a typo fails loudly instead of being ignored. */
final class ConfigKeys {
  /** Keys of earlier versions, and what took their place. */
  private static final java.util.Map<String, String> REPLACED = java.util.Map.of(
      "when-redis-unavailable", "replaced by on-outage = fail, bypass or local");

  private ConfigKeys() {}

  static void requireKnown(String path, ConfigObject object, Set<String> known) {
    for (String key : object.keySet()) {
      if (REPLACED.containsKey(key)) {
        throw new ConfigurationException(path + "." + key, REPLACED.get(key));
      }
      if (!known.contains(key)) {
        throw new ConfigurationException(path + "." + key, "unknown key (known keys: "
            + new TreeSet<>(known) + ")");
      }
    }
  }
}
