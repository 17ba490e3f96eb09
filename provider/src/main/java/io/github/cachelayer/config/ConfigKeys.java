package io.github.cachelayer.config;

import com.typesafe.config.ConfigObject;
import java.util.Set;
import java.util.TreeSet;

/** Rejects keys CacheLayer does not know, so a typo fails loudly instead of being ignored. */
final class ConfigKeys {
  private ConfigKeys() {}

  static void requireKnown(String path, ConfigObject object, Set<String> known) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        throw new ConfigurationException(path + "." + key, "unknown key (known keys: "
            + new TreeSet<>(known) + ")");
      }
    }
  }
}
