package io.github.cachelayer.credentials;

import java.util.Map;

/**
 * Where a manager gets the credentials it gives Redis, when they change (tokens, rotated
 * passwords). Asked at start-up, for every new connection and at every renewal (before the
 * credentials it gave last expire, or every {@code cachelayer.redis.credentials.renew-every}),
 * from CacheLayer's own threads, never from the client's I/O threads; it may block, and should
 * cache what is costly to get (a token until shortly before it expires).
 *
 * <p>Configured by {@code cachelayer.redis.credentials.provider}: the name of a {@link Factory}
 * found by {@link java.util.ServiceLoader} (such as {@code entra-id}), or the class name of a
 * {@code RedisCredentialsProvider} or {@code Factory} with a public no-argument constructor; or,
 * in code, an instance under the key {@link #PROPERTY} of the properties given to
 * {@code CachingProvider.getCacheManager}.
 */
@FunctionalInterface
public interface RedisCredentialsProvider {
  /** The key of the setting, and of an instance in a manager's properties. */
  String PROPERTY = "cachelayer.redis.credentials.provider";

  /**
   * The credentials to use now.
   *
   * @throws Exception when none can be had now: a new connection then uses the credentials
   *     given last while they are valid, a renewal is tried again later; the message is logged
   *     and shown in health, so it must not hold a secret
   */
  RedisCredentials credentials() throws Exception;

  /** Makes a provider from its settings: what a module registers under a short name. */
  interface Factory {
    /** The name {@code cachelayer.redis.credentials.provider} selects it by. */
    String name();

    /**
     * A provider configured by {@code options}: the keys of the
     * {@code cachelayer.redis.credentials} block other than CacheLayer's own, as text.
     *
     * @throws IllegalArgumentException naming a key the factory does not know, or a bad value
     */
    RedisCredentialsProvider create(Map<String, String> options);
  }
}
