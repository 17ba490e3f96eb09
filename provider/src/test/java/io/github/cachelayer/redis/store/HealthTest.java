package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.management.CacheLayerHealth.Status;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Map;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/** What CacheLayer.health() reports in each state, never with the password. */
class HealthTest {
  private static final String PASSWORD = "hunter2-never-reported";

  private static CacheManager open(String uri, int port) {
    return Managers.inOwnProvider(uri,
        Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + port));
  }

  @Test
  void fallbackModeIsUp() {
    try (CacheManager manager = Managers.fresh()) {
      CacheLayerHealth health = CacheLayer.of(manager).health();
      assertEquals(new CacheLayerHealth(Status.UP, "fallback", null, 0, 0, null), health);
    }
  }

  @Test
  void redisModeIsUpWithTheServersFiguresThenDownWhenItDies() {
    RedisServer redis = RedisServer.start("--requirepass", PASSWORD);
    try (CacheManager manager = open("classpath:redis-reconnect-fast.conf", redis.port())) {
      CacheLayer layer = CacheLayer.of(manager);
      CacheLayerHealth up = layer.health();
      assertEquals(Status.UP, up.status(), up.toString());
      assertEquals("redis", up.mode());
      assertTrue(up.connections() >= 1, up.toString());
      assertTrue(up.commands() > 0, up.toString());
      assertNotNull(up.pingLatency());
      assertNull(up.reason());
      assertTrue(layer.health().commands() > up.commands(), "INFO counts as it goes");

      redis.kill();
      long start = System.nanoTime();
      CacheLayerHealth down = layer.health();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Status.DOWN, down.status(), down.toString());
      assertTrue(down.reason().contains("127.0.0.1:" + redis.port()), down.reason());
      assertFalse(down.toString().contains(PASSWORD));
      assertTrue(millis < 10_000, "bounded by the timeouts: " + millis + " ms");
    } finally {
      redis.close();
    }
  }

  @Test
  void redisNotReachedSinceStartUpIsDegraded() {
    int port = RedisServer.freePort();
    try (CacheManager manager = open("classpath:redis-reconnect-fast.conf", port)) {
      CacheLayerHealth health = CacheLayer.of(manager).health();
      assertEquals(Status.DEGRADED, health.status());
      assertTrue(health.reason().contains("127.0.0.1:" + port), health.reason());
      assertFalse(health.toString().contains(PASSWORD));
    }
  }
}
