package io.github.cachelayer.store.redis;

import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.RedisNoScriptException;
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

  /**
   * Whether a command failed because its script is not loaded on that node (a fresh master after
   * a restart or failover): it ran nothing, and may be sent again once the script is loaded.
   */
  static boolean isNoScript(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // The client's own type; inside a pipeline the error may reach us as its reply text.
      if (cause instanceof RedisNoScriptException
          || String.valueOf(cause.getMessage()).startsWith("NOSCRIPT")) {
        return true;
      }
    }
    return false;
  }

  /** Whether a GET failed because the key holds another type than a string (a foreign value). */
  static boolean isWrongType(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (String.valueOf(cause.getMessage()).startsWith("WRONGTYPE")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code failure} is Redis's (the client's), not the application's code. */
  static boolean isRedisFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisException) {
        return true;
      }
    }
    return false;
  }

  private static CacheException translate(String cacheName, RedisException e) {
    return new CacheException("Redis failed an operation of cache '" + cacheName + "': "
        + e.getMessage(), e);
  }
}
