package io.github.cachelayer.config;

import java.util.Locale;

/**
 * What a cache does while its Redis does not answer (down, frozen, not reached since start-up):
 * set per manager ({@code cachelayer.redis.on-outage}) and per cache ({@code on-outage}).
 * Whatever the policy, a key whose write or removal could not reach Redis is deleted from Redis
 * before the cache serves anything from it again, so no older value comes back.
 */
public enum OutagePolicy {
  /** Operations throw {@link io.github.cachelayer.RedisUnavailableException}. */
  FAIL,
  /** Reads miss, writes and removals are skipped: the application falls through to its source. */
  BYPASS,
  /** A node-local store serves the cache until Redis answers, then is dropped. */
  LOCAL;

  /** The policy a setting names; throws naming {@code path} otherwise. */
  static OutagePolicy parse(String path, String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(path, "must be fail, bypass or local, was '" + text + "'");
    }
  }
}
