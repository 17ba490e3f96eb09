package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** Redis configured but not answering at start-up. */
class RedisUnavailableTest {
  private static final String PASSWORD = "hunter2-never-logged";

  private static CacheManager open(String uri, int port) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT,
        Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + port));
    return new CacheLayerCachingProvider().getCacheManager(URI.create(uri),
        RedisUnavailableTest.class.getClassLoader(), properties);
  }

  @Test
  void failFastThrowsNamingTheNodeButNotThePassword() {
    int port = RedisServer.freePort();
    CacheException thrown = assertThrows(CacheException.class,
        () -> open("classpath:redis-fail-fast.conf", port));
    assertTrue(thrown.getMessage().contains("127.0.0.1:" + port), thrown.getMessage());
    assertFalse(thrown.getMessage().contains(PASSWORD));
  }

  @Test
  void opensWithoutStorageThenSwitchesToRedisWhenItAnswers() throws Exception {
    int port = RedisServer.freePort();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    CacheManager manager;
    Cache<String, String> cache;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      manager = open("classpath:redis-reconnect-fast.conf", port);
      cache = manager.createCache("c", new MutableConfiguration<>());
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("ERROR") && log.contains("127.0.0.1:" + port), log);
    assertTrue(log.contains("reads miss and writes are skipped (on-outage = bypass)"), log);
    assertFalse(log.contains("deprecated"), log);
    assertFalse(log.contains(PASSWORD), log);

    cache.put("k", "v");
    assertNull(cache.get("k"), "bypassed: nothing is kept while Redis is away");

    try (RedisServer redis = RedisServer.start(port, "--requirepass", PASSWORD)) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      boolean switched = false;
      while (!switched && System.nanoTime() < deadline) {
        cache.put("k", "v");
        switched = "v".equals(cache.get("k"));
        Thread.sleep(50);
      }
      assertTrue(switched, "the cache uses Redis once it answers");
      manager.close();
    }
  }
}
