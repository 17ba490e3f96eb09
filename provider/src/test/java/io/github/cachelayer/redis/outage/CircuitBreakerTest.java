package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Conditions;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.time.Duration;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis frozen (SIGSTOP): after three calls that each waited for the timeout, calls fail at
 * once while the breaker is open; once Redis runs again a probe closes it and calls work.
 */
@Tag("fault") // redis-server frozen with SIGSTOP
class CircuitBreakerTest {
  @Test
  void anOutageCostsMicrosecondsPerCallOnceTheBreakerOpens() {
    RedisServer redis = RedisServer.start();
    CacheManager manager = Managers.inOwnProvider("breaker", Map.of("REDIS_URL", redis.url()),
        Map.of("on-outage", "fail", "timeout", "400ms", "retries", "0", "breaker-failures", "3",
            "breaker-open-for", "1s"));
    try {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v");
      redis.pause();
      try {
        for (int i = 0; i < 3; i++) {
          long start = System.nanoTime();
          CacheException timedOut = assertThrows(CacheException.class, () -> cache.get("k"));
          assertTrue(timedOut.getMessage().contains("no answer"), timedOut.getMessage());
          assertTrue(System.nanoTime() - start > 300_000_000L, "waited for the timeout");
        }
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
          CacheException open = assertThrows(CacheException.class, () -> cache.get("k"));
          assertTrue(open.getMessage().contains("circuit breaker open"), open.getMessage());
          assertTrue(open.getMessage().contains("'c'"), open.getMessage());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 300, "200 calls while open took " + millis + " ms");
      } finally {
        redis.resume();
      }
      Conditions.await("a probe closes the breaker", () -> {
        try {
          cache.get("k"); // null: written just before the outage, so settled (RecentWrites)
          return true;
        } catch (CacheException stillOpen) {
          return false;
        }
      }, Duration.ofSeconds(15));
      cache.put("k", "after");
      assertEquals("after", cache.get("k"));
    } finally {
      manager.close();
      redis.close();
    }
  }
}
