package io.github.cachelayer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code cachelayer.redis.credentials} block: which provider gives Redis its credentials
 * (when they change: tokens, rotated passwords), when they are renewed, and the provider's own
 * keys, passed to it as text.
 *
 * @param provider the provider's name or class name, or null for the fixed password
 * @param renewBeforeExpiry how long before credentials expire they are renewed
 * @param renewEvery how often credentials without an expiry are renewed; zero for never
 * @param retryInterval how soon a renewal that failed is tried again
 * @param options the provider's own keys (every key of the block but CacheLayer's)
 */
public record CredentialsSettings(String provider, Duration renewBeforeExpiry,
    Duration renewEvery, Duration retryInterval, Map<String, String> options) {
  static final String PATH = "cachelayer.redis.credentials";
  private static final Set<String> OWN_KEYS =
      Set.of("provider", "renew-before-expiry", "renew-every", "retry-interval");

  /** No provider: the fixed password (or none). */
  static final CredentialsSettings NONE = new CredentialsSettings(null, Duration.ofMinutes(5),
      Duration.ZERO, Duration.ofSeconds(30), Map.of());

  /** @param block the block, or null when the configuration has none */
  static CredentialsSettings parse(Config block) {
    if (block == null) {
      return NONE;
    }
    SettingsReader read = new SettingsReader(block, PATH);
    String provider = read.has("provider") ? read.text("provider").trim() : null;
    Duration before = read.has("renew-before-expiry") ? read.duration("renew-before-expiry")
        : NONE.renewBeforeExpiry();
    Duration every = read.has("renew-every") ? read.duration("renew-every") : Duration.ZERO;
    Duration retry = read.has("retry-interval") ? read.duration("retry-interval")
        : NONE.retryInterval();
    if (before.isNegative()) {
      throw new ConfigurationException(PATH + ".renew-before-expiry", "must not be negative");
    }
    if (every.isNegative()) {
      throw new ConfigurationException(PATH + ".renew-every", "must be zero (never) or more");
    }
    if (retry.toMillis() < 100) {
      throw new ConfigurationException(PATH + ".retry-interval", "must be at least 100ms");
    }
    Map<String, String> options = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
      String key = entry.getKey();
      if (OWN_KEYS.contains(key)) {
        continue;
      }
      if (entry.getValue().valueType() == ConfigValueType.NULL) {
        continue;
      }
      options.put(key, read.text(key));
    }
    if (provider == null || provider.isEmpty()) {
      if (!options.isEmpty()) {
        throw new ConfigurationException(PATH + "." + options.keySet().iterator().next(),
            "is a provider's key, but no provider is set (" + PATH + ".provider)");
      }
      provider = null;
    }
    return new CredentialsSettings(provider, before, every, retry, Map.copyOf(options));
  }

  @Override
  public String toString() {
    // A provider's options may hold a secret (a client secret): their names only.
    return "CredentialsSettings[provider=" + provider + ", renewBeforeExpiry=" + renewBeforeExpiry
        + ", renewEvery=" + renewEvery + ", retryInterval=" + retryInterval + ", options="
        + options.keySet() + "]";
  }
}
