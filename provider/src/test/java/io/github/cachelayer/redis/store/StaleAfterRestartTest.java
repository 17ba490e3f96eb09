package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cachelayer.testing.Conditions;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Redis with persistence stops, the application's writes fail meanwhile, and Redis comes back
 * with the values those writes were meant to replace or remove. Neither this JVM nor another may
 * read them: the keys whose operations failed are deleted before this store serves anything
 * again, and in the background once Redis answers.
 */
@Tag("fault") // redis-server killed and restarted from its AOF
class StaleAfterRestartTest {
  private static final List<String> KEYS = List.of("put", "remove", "getAndPut", "invoke");

  @Test
  void valuesAFailedWriteMeantToReplaceAreNeverReadAfterARestart() throws Exception {
    int port = RedisServer.freePort();
    RedisServer redis = RedisServer.start(port, "--appendonly", "yes", "--appendfsync", "always");
    String url = "redis://127.0.0.1:" + port;
    Map<String, String> fast = Map.of("on-outage", "fail", "timeout", "1s", "retries", "1",
        "retry-interval", "200ms");
    CacheManager application = Managers.inOwnProvider("stale", Map.of("REDIS_URL", url), fast);
    CacheManager other = Managers.inOwnProvider("stale", Map.of("REDIS_URL", url), fast);
    try {
      MutableConfiguration<String, String> configuration =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class);
      Cache<String, String> cache = application.createCache("c", configuration);
      Cache<String, String> elsewhere = other.createCache("c", configuration);
      KEYS.forEach(key -> cache.put(key, "old"));
      redis.kill();

      assertThrows(CacheException.class, () -> cache.put("put", "new"));
      assertThrows(CacheException.class, () -> cache.remove("remove"));
      assertThrows(CacheException.class, () -> cache.getAndPut("getAndPut", "new"));
      assertThrows(CacheException.class, () -> cache.invoke("invoke", (entry, args) -> {
        entry.setValue("new");
        return null;
      }));

      redis = redis.startAgain();
      for (String key : KEYS) {
        assertNull(once(() -> cache.get(key)), key + ": this JVM must not read the old value");
      }
      Conditions.await("the other JVM reads no old value", () -> KEYS.stream()
          .allMatch(key -> once(() -> elsewhere.get(key)) == null), Duration.ofSeconds(15));
    } finally {
      application.close();
      other.close();
      redis.close();
    }
  }

  /** The first answer once the client has reconnected. */
  private static String once(Supplier<String> read) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        return read.get();
      } catch (CacheException reconnecting) {
        if (System.nanoTime() > deadline) {
          throw reconnecting;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw reconnecting;
        }
      }
    }
  }
}
