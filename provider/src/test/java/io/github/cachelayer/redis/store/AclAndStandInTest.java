package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.OutagePolicy;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class AclAndStandInTest {
  private static CacheManager open(String uri, String url) {
    return open(uri, url, Map.of());
  }

  private static CacheManager open(String uri, String url, Map<String, String> redisSettings) {
    return Managers.inOwnProvider(uri, Map.of("REDIS_URL", url), redisSettings);
  }

  @Test
  void aclUserWithPasswordConnectsAndAWrongPasswordIsRefused() {
    try (RedisServer redis = RedisServer.start("--user", "default", "off",
        "--user", "app", "on", ">app-secret", "~*", "&*", "+@all")) {
      try (CacheManager manager = open("acl",
          "redis://app:app-secret@127.0.0.1:" + redis.port() + "/0")) {
        Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
        cache.put("k", "v");
        assertEquals("v", cache.get("k"));
      }
      // Refused credentials are a misconfiguration, not an outage: the manager does not open,
      // whatever on-unavailable says, and says so without the password.
      CacheException refused = assertThrows(CacheException.class, () -> open("acl-wrong",
          "redis://app:not-the-secret@127.0.0.1:" + redis.port() + "/0", Map.of("retries", "0")));
      assertFalse(refused.getMessage().contains("not-the-secret"), refused.getMessage());
      assertTrue(refused.getMessage().contains("refused the credentials of user 'app'"),
          refused.getMessage());
    }
  }

  @Test
  void aCacheThatOptsInKeepsALocalStoreWhileRedisIsAway() throws Exception {
    int port = RedisServer.freePort();
    CacheManager manager = open("stand-in", "redis://127.0.0.1:" + port,
        Map.of("reconnect-interval", "200ms"));
    try {
      Cache<String, String> local = manager.createCache("sessions",
          new CacheLayerConfiguration<String, String>().setOutagePolicy(OutagePolicy.LOCAL));
      Cache<String, String> none = manager.createCache("prices", new MutableConfiguration<>());
      local.put("s", "kept locally");
      none.put("p", "dropped");
      Cache<String, java.util.List<String>> carts = manager.createCache("carts",
          new CacheLayerConfiguration<String, java.util.List<String>>()
              .setOutagePolicy(OutagePolicy.LOCAL));
      java.util.List<String> cart = new java.util.ArrayList<>(java.util.List.of("book"));
      carts.put("c", cart);
      cart.add("changed after the put");
      carts.get("c").add("changed after the get");
      assertEquals(java.util.List.of("book"), carts.get("c"),
          "the local stand-in stores by value, as the cache is configured");
      assertEquals("kept locally", local.get("s"));
      assertNull(none.get("p"));
      try (RedisServer redis = RedisServer.start(port)) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && redis.call("DBSIZE").equals(0L)) {
          none.put("p", "now in redis");
          Thread.sleep(50);
        }
        assertEquals("now in redis", none.get("p"));
        assertNull(local.get("s"), "node-local data is dropped at the switch, never served stale");
        local.put("s", "in redis");
        assertTrue(((Long) redis.call("EXISTS", "stand-in:sessions:s")) == 1L);
      }
    } finally {
      manager.close();
    }
  }

  @Test
  void anUndecodableValueIsReportedOncePerKey() {
    try (RedisServer redis = RedisServer.start();
        CacheManager manager = open("warn-once", redis.url())) {
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
      redis.call("SET", "warn-once:c:bad", "1" + "9".repeat(13) + "not kryo at all");
      PrintStream err = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        for (int i = 0; i < 5; i++) {
          assertNull(cache.get("bad"));
        }
      } finally {
        System.setErr(err);
      }
      long warnings = captured.toString(StandardCharsets.UTF_8).lines()
          .filter(line -> line.contains("cannot be decoded")).count();
      assertEquals(1, warnings, captured.toString(StandardCharsets.UTF_8));
      assertTrue(captured.toString(StandardCharsets.UTF_8).contains("'bad'"));
    }
  }
}
