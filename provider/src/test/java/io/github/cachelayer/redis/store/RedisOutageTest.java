package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redis goes away after start-up: operations fail with a CacheException, then recover. */
@Tag("fault") // redis-server killed and restarted
class RedisOutageTest {
  private static final String PASSWORD = "outage-secret";

  @Test
  void operationsFailClearlyDuringAnOutageAndRecoverAfter() throws Exception {
    int port = RedisServer.freePort();
    RedisServer redis = RedisServer.start(port, "--requirepass", PASSWORD);
    CacheManager manager = Managers.inOwnProvider("outage",
        Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + port),
        Map.of("on-outage", "fail", "timeout", "1s", "retries", "1", "retry-interval", "200ms"));
    try {
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
      cache.put("k", "before");
      redis.kill();

      for (Runnable operation : new Runnable[] {
          () -> cache.get("k"), () -> cache.put("k", "during"), () -> cache.remove("k"),
          () -> cache.getAll(Set.of("k", "j")), () -> cache.containsKey("k")}) {
        CacheException failure = assertThrows(CacheException.class, operation::run);
        assertTrue(failure.getMessage().contains("'c'"), failure.getMessage());
        assertFalse(failure.getMessage().contains(PASSWORD), failure.getMessage());
      }

      redis = RedisServer.start(port, "--requirepass", PASSWORD);
      long deadline = System.nanoTime() + 30_000_000_000L;
      boolean recovered = false;
      while (!recovered && System.nanoTime() < deadline) {
        try {
          cache.put("k", "after");
          recovered = true;
        } catch (CacheException stillDown) {
          Thread.sleep(200);
        }
      }
      assertTrue(recovered, "operations work again once Redis is back");
      assertEquals("after", cache.get("k"));
    } finally {
      manager.close();
      redis.close();
    }
  }
}
