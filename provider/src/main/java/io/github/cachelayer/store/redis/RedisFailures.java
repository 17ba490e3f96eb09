package io.github.cachelayer.store.redis;

import io.github.cachelayer.internal.redisson.client.RedisException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * Turns the Redis client's failures (connection lost, timeout, an error reply) into the
 * {@link CacheException} JCache callers catch, naming the cache. Everything else passes as it is:
 * a writer's or listener's exception is not Redis's to rename.
 */
final class RedisFailures {
  private RedisFailures() {}

  static <T> T guard(String cacheName, Supplier<T> call) {
    try {
      return call.get();
    } catch (RedisException e) {
      throw translate(cacheName, e);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RedisException redis) {
        throw translate(cacheName, redis);
      }
      throw e;
    }
  }

  static void guard(String cacheName, Runnable call) {
    guard(cacheName, () -> {
      call.run();
      return null;
    });
  }

  private static CacheException translate(String cacheName, RedisException e) {
    return new CacheException("Redis failed an operation of cache '" + cacheName + "': "
        + e.getMessage(), e);
  }
}
