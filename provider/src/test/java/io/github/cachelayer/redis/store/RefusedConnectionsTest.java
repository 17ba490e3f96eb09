package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis killed with a write in flight, on the default settings (timeout 5 s, 3 retries 1 s
 * apart: a call's bound is 23 s). While nothing listens, a connection that carried the write
 * cannot be killed on the server, but nothing needs to wait for that: calls are answered by the
 * outage policy within about one retry interval, and the write's key is settled once Redis is
 * back, so the value it replaced is never served.
 */
@Tag("fault") // redis-server frozen, killed and started again
class RefusedConnectionsTest {
  /** One retry interval, and room for a loaded 2-core machine to wake the thread. */
  private static final long ANSWERED_WITHIN_MILLIS = 1_000 + 400;

  @Test
  void whileRedisRefusesConnectionsCallsDoNotWaitForTheTimeout() throws Exception {
    RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
    CacheManager manager = Managers.inOwnProvider("refused", Map.of("REDIS_URL", redis.url()));
    try {
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
      cache.put("k", "before");
      Thread.sleep(100);

      redis.pause();
      CompletableFuture<Long> inFlight = CompletableFuture.supplyAsync(() -> {
        long start = System.nanoTime();
        cache.put("k", "lost in flight");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      });
      Thread.sleep(300);
      redis.kill();
      long putMillis = inFlight.get(30, TimeUnit.SECONDS);
      assertTrue(putMillis < ANSWERED_WITHIN_MILLIS + 300,
          "the put in flight was answered by the policy after " + putMillis + " ms");

      long slowest = 0;
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        assertNull(cache.get("k" + (i % 3 == 0 ? "" : i)), "bypass: reads miss");
        cache.put("during-" + i, "skipped");
        cache.putIfAbsent("k", "skipped");
        slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            / 3);
      }
      assertTrue(slowest < ANSWERED_WITHIN_MILLIS,
          "calls while Redis refuses connections took up to " + slowest + " ms each");

      redis = redis.startAgain(); // with its data: 'k' is still "before" there
      assertTrue(String.valueOf(redis.call("KEYS", "*")).contains(":c:k"),
          "the test's premise: Redis came back holding the value the failed put replaced");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!servesAgain(cache) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(servesAgain(cache), "Redis serves again");
      assertNull(cache.get("k"), "the value the failed put replaced is never served");
      cache.put("k", "after");
      assertEquals("after", cache.get("k"));
    } finally {
      manager.close();
      redis.close();
    }
  }

  private static boolean servesAgain(Cache<String, String> cache) {
    cache.put("probe", "p");
    return "p".equals(cache.get("probe"));
  }
}
