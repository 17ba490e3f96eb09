package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.OutagePolicy;
import io.github.cachelayer.testing.Conditions;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each outage policy with a real redis-server killed and restarted from its append-only file:
 * what the application sees during the outage, and that no value it replaced or removed
 * meanwhile is read after Redis is back.
 */
@Tag("fault") // redis-server killed and restarted
class OutagePolicyTest {
  /** Short timeouts, a breaker that opens after two silent calls. */
  private static Map<String, String> settings(String policy) {
    return Map.of("on-outage", policy, "timeout", "500ms", "retries", "0",
        "reconnect-interval", "200ms", "breaker-failures", "2", "breaker-open-for", "200ms");
  }

  private static RedisServer persistentRedis(int port) {
    return RedisServer.start(port, "--appendonly", "yes", "--appendfsync", "always");
  }

  private static Cache<String, String> strings(CacheManager manager, String name,
      OutagePolicy policy) {
    CacheLayerConfiguration<String, String> configuration = new CacheLayerConfiguration<>();
    configuration.setTypes(String.class, String.class);
    return manager.createCache(name, configuration.setOutagePolicy(policy));
  }

  /** Waits until the cache reads {@code key} from Redis again (a write lands in Redis). */
  private static void awaitRedisServes(Cache<String, String> cache, RedisServer redis,
      String redisKey) {
    Conditions.await("Redis serves the cache again", () -> {
      cache.put("probe", "p");
      return Long.valueOf(1).equals(redis.call("EXISTS", redisKey));
    }, Duration.ofSeconds(20));
  }

  @Test
  void bypassMissesAndSkipsDuringTheOutageAndNothingReplacedComesBack() throws Exception {
    int port = RedisServer.freePort();
    RedisServer redis = persistentRedis(port);
    try (CacheManager manager = Managers.inOwnProvider("bypass",
        Map.of("REDIS_URL", redis.url()), settings("bypass"))) {
      Cache<String, String> cache = strings(manager, "c", null); // the manager's policy
      cache.put("replaced", "old");
      cache.put("removed", "old");
      cache.put("untouched", "old");
      // Past the window in which Redis may lose acknowledged writes (2 s + timeout): keys
      // written within it are settled after a failure too, and this test wants one that is not.
      Thread.sleep(2_700);
      redis.kill();

      assertNull(cache.get("untouched"), "a read misses: the application asks its database");
      cache.put("replaced", "new"); // skipped, no exception
      cache.remove("removed");
      assertNull(cache.get("replaced"), "nothing is kept meanwhile");
      assertTrue(cache.putIfAbsent("fresh", "v"), "decided on an absent entry");
      assertEquals(Map.of(), cache.getAll(Set.of("replaced", "untouched")));
      assertFalse(cache.iterator().hasNext());

      redis = redis.startAgain();
      awaitRedisServes(cache, redis, "bypass:c:probe");
      assertNull(cache.get("replaced"), "the value the skipped put replaced is gone");
      assertNull(cache.get("removed"), "the value the skipped remove removed is gone");
      assertEquals("old", cache.get("untouched"), "what nobody changed is still cached");
    } finally {
      redis.close();
    }
  }

  @Test
  void localServesFromThisNodeDuringTheOutageAndDropsItOnRecovery() throws Exception {
    int port = RedisServer.freePort();
    RedisServer redis = persistentRedis(port);
    try (CacheManager manager = Managers.inOwnProvider("local",
        Map.of("REDIS_URL", redis.url()), settings("fail"))) {
      Cache<String, String> cache = strings(manager, "c", OutagePolicy.LOCAL);
      cache.put("k", "old");
      redis.kill();

      assertNull(cache.get("k"), "the local store starts empty: it never copies Redis");
      cache.put("k", "during");
      assertEquals("during", cache.get("k"), "kept on this node meanwhile");
      assertEquals("during", cache.getAndPut("k", "later"));

      redis = redis.startAgain();
      awaitRedisServes(cache, redis, "local:c:probe");
      assertNull(cache.get("k"), "neither the local value nor Redis's older one");
      cache.put("k", "after");
      assertEquals("after", cache.get("k"));

      redis.kill();
      assertNull(cache.get("k"), "a second outage starts empty, not from the first one's data");
    } finally {
      redis.close();
    }
  }

  @Test
  void failThrowsPromptlyOnceTheBreakerOpensAndNamesTheCache() throws Exception {
    int port = RedisServer.freePort();
    RedisServer redis = persistentRedis(port);
    try (CacheManager manager = Managers.inOwnProvider("fail",
        Map.of("REDIS_URL", redis.url()), settings("bypass"))) {
      Cache<String, String> cache = strings(manager, "strict", OutagePolicy.FAIL);
      Cache<String, String> lenient = strings(manager, "lenient", null);
      cache.put("k", "old");
      redis.kill();
      for (int i = 0; i < 3; i++) {
        RedisUnavailableException failure =
            assertThrows(RedisUnavailableException.class, () -> cache.put("k", "new"));
        assertTrue(failure.getMessage().contains("'strict'"), failure.getMessage());
      }
      long start = System.nanoTime();
      assertThrows(RedisUnavailableException.class, () -> cache.get("k"));
      assertTrue(System.nanoTime() - start < 100_000_000L, "the open breaker answers at once");
      assertNull(lenient.get("k"), "a cache of the same manager under the manager's bypass");

      redis = redis.startAgain();
      Conditions.await("Redis answers", () -> {
        try {
          cache.get("k");
          return true;
        } catch (RedisUnavailableException stillDown) {
          return false;
        }
      }, Duration.ofSeconds(20));
      assertNull(cache.get("k"), "the failed put's key was deleted, not left at 'old'");
    } finally {
      redis.close();
    }
  }

  @Test
  void aRedisOutOfMemoryRefusesWritesPerThePolicyNamingTheCause() {
    try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction");
        CacheManager manager = Managers.inOwnProvider("oom", Map.of("REDIS_URL", redis.url()),
            settings("bypass"))) {
      Cache<String, String> strict = strings(manager, "strict", OutagePolicy.FAIL);
      Cache<String, String> lenient = strings(manager, "lenient", null);
      strict.put("k", "old");
      lenient.put("k", "old");
      redis.call("CONFIG", "SET", "maxmemory", "1");

      RedisUnavailableException refused =
          assertThrows(RedisUnavailableException.class, () -> strict.put("k", "new"));
      assertTrue(refused.getMessage().contains("'strict'")
          && refused.getMessage().contains("out of memory"), refused.getMessage());
      assertNull(strict.get("k"), "the refused put's key was deleted, not left at 'old'");

      lenient.put("k", "new"); // bypass: skipped
      assertNull(lenient.get("k"), "neither the new value nor the one it replaced");
      redis.call("CONFIG", "SET", "maxmemory", "0");
      lenient.put("k", "after");
      assertEquals("after", lenient.get("k"));
    }
  }

  @Test
  void writesWhileRedisHasNotAnsweredSinceStartUpAreNotUndoneByItsData() throws Exception {
    int port = RedisServer.freePort();
    RedisServer redis = persistentRedis(port);
    for (String key : new String[] {"replaced", "removed", "cleared-by-invoke", "untouched"}) {
      redis.call("SET", "startup:c:" + key, "stale bytes of " + key);
    }
    redis.kill(); // Redis holds data on disk, and is down when the application starts
    CacheManager manager = Managers.inOwnProvider("startup", Map.of("REDIS_URL", redis.url()),
        settings("bypass"));
    try {
      Cache<String, String> cache = strings(manager, "c", null);
      cache.put("replaced", "new");
      cache.remove("removed");
      cache.invoke("cleared-by-invoke", (entry, args) -> {
        entry.remove();
        return null;
      });
      assertNull(cache.get("replaced"));

      redis = redis.startAgain();
      assertEquals("stale bytes of replaced", redis.call("GET", "startup:c:replaced"));
      awaitRedisServes(cache, redis, "startup:c:probe");
      for (String key : new String[] {"replaced", "removed", "cleared-by-invoke"}) {
        assertEquals(0L, redis.call("EXISTS", "startup:c:" + key), key);
      }
      assertEquals(1L, redis.call("EXISTS", "startup:c:untouched"), "only what was written");
    } finally {
      manager.close();
      redis.close();
    }
  }
}
