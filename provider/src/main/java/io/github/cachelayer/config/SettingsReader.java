package io.github.cachelayer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * Typed reads of one block of settings that name the full key when a value is wrong, such as
 * {@code cachelayer.caches.users.maximum.size: must be a whole number}. Never echoes the value: it
 * could be a password.
 */
final class SettingsReader {
  private final Config config;
  private final String path;

  SettingsReader(Config config, String path) {
    this.config = config;
    this.path = path;
  }

  String path(String key) {
    return path + "." + key;
  }

  boolean has(String key) {
    return config.hasPath(key);
  }

  boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw wrong(key, "must be true or false", e);
    }
  }

  String text(String key) {
    try {
      return config.getString(key);
    } catch (ConfigException e) {
      throw wrong(key, "must be a string", e);
    }
  }

  /**
   * One of an enum's constants by name, case aside ({@code resp3}, {@code RESP3}); {@code absent}
   * where the key is not set.
   */
  <E extends Enum<E>> E choice(String key, E absent) {
    if (!has(key)) {
      return absent;
    }
    String name = text(key).trim();
    E[] choices = absent.getDeclaringClass().getEnumConstants();
    for (E choice : choices) {
      if (choice.name().equalsIgnoreCase(name)) {
        return choice;
      }
    }
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < choices.length; i++) {
      names.append(i == 0 ? "" : i == choices.length - 1 ? " or " : ", ")
          .append(choices[i].name().toLowerCase(java.util.Locale.ROOT));
    }
    throw new ConfigurationException(path(key), "must be " + names);
  }

  long wholeNumber(String key) {
    try {
      return config.getLong(key);
    } catch (ConfigException e) {
      throw wrong(key, "must be a whole number", e);
    }
  }

  /** A size such as 512k or 1m (HOCON's sizes: powers of 1024), or a number of bytes. */
  long bytes(String key) {
    try {
      return config.getBytes(key);
    } catch (ConfigException e) {
      throw wrong(key, "must be a size such as \"512k\" or \"1m\"", e);
    }
  }

  Duration duration(String key) {
    try {
      return config.getDuration(key);
    } catch (ConfigException e) {
      throw wrong(key, "must be a duration such as \"30s\", \"10m\" or \"1h\"", e);
    }
  }

  private ConfigurationException wrong(String key, String expectation, ConfigException e) {
    String where = e.origin() == null ? "" : " (" + e.origin().description() + ")";
    return new ConfigurationException(path(key), expectation + where, e);
  }
}
