package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Listener registrations and closing while Redis is down: a registration that cannot reach
 * Redis fails and leaves nothing behind; closing a cache with listeners succeeds and the cache is
 * gone from its manager.
 */
class OutageLifecycleTest {
  /** Fail in half a second, without retries. */
  private static final Map<String, String> FAST = Map.of("on-outage", "fail", "timeout", "500ms", "retries", "0");

  @Test
  void registeringFailsCleanlyAndClosingSucceedsWhileRedisIsDown() {
    RedisServer redis = RedisServer.start();
    CacheManager manager = Managers.inOwnProvider("lifecycle", Map.of("REDIS_URL", redis.url()),
        FAST);
    try {
      Cache<String, String> listened = manager.createCache("listened",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      Cache<String, String> other = manager.createCache("other",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      listened.registerCacheEntryListener(listener());
      redis.kill();

      CacheException refused = assertThrows(CacheException.class,
          () -> other.registerCacheEntryListener(listener()));
      assertTrue(refused.getMessage().contains("'other'"), refused.getMessage());
      assertEquals(0, count(other), "a failed registration leaves no registration");

      listened.close();
      assertTrue(listened.isClosed());
      assertFalse(java.util.stream.StreamSupport.stream(manager.getCacheNames().spliterator(), false)
          .anyMatch("listened"::equals), "closed: gone from its manager");
    } finally {
      manager.close();
      redis.close();
    }
  }

  /** Our words, not the client's: no advice about its threads, no command dump, no key names. */
  @Test
  void redisErrorsAreWordedWithoutKeysValuesOrClientAdvice() {
    RedisServer redis = RedisServer.start();
    CacheManager manager = Managers.inOwnProvider("wording", Map.of("REDIS_URL", redis.url()),
        FAST);
    try {
      Cache<String, String> cache = manager.createCache("orders",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.get("customer-4711");
      redis.call("CONFIG", "SET", "maxmemory", "1");
      CacheException full = assertThrows(CacheException.class,
          () -> cache.put("customer-4711", "secret-order-value"));
      assertClean(full, "out of memory");
      redis.call("CONFIG", "SET", "maxmemory", "0");
      redis.kill();
      // Refused or timed out, depending on when the client notices: worded either way.
      CacheException down = assertThrows(CacheException.class,
          () -> cache.put("customer-4711", "v"));
      assertClean(down, down.getMessage().contains("no answer") ? "no answer" : "cannot be reached");
    } finally {
      manager.close();
      redis.close();
    }
  }

  private static void assertClean(CacheException failure, String expected) {
    assertTrue(failure.getMessage().contains("'orders'"), failure.getMessage());
    assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      for (String leak : new String[] {"customer-4711", "secret-order-value", "nettyThreads",
          "Check CPU", "params", "channel", "redis.call", "127.0.0.1"}) {
        assertFalse(message.contains(leak), leak + " in " + message);
      }
    }
  }

  private static MutableCacheEntryListenerConfiguration<String, String> listener() {
    return new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(ListenerLeaseTest.Created.class.getName()), null, false, true);
  }

  @SuppressWarnings("unchecked")
  private static int count(Cache<String, String> cache) {
    int count = 0;
    for (Object ignored : cache.getConfiguration(CompleteConfiguration.class)
        .getCacheEntryListenerConfigurations()) {
      count++;
    }
    return count;
  }
}
