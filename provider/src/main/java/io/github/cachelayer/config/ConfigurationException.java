package io.github.cachelayer.config;

import javax.cache.CacheException;

/** A configuration file or value that CacheLayer cannot use; the message names the key. */
public final class ConfigurationException extends CacheException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String path, String problem) {
    super("Invalid CacheLayer configuration at '" + path + "': " + problem);
  }

  public ConfigurationException(String path, String problem, Throwable cause) {
    super("Invalid CacheLayer configuration at '" + path + "': " + problem, cause);
  }

  /** For problems with the file as a whole (missing, unreadable, unparsable). */
  public static ConfigurationException ofSource(String message, Throwable cause) {
    return new ConfigurationException(message, cause);
  }

  private ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
