package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.testing.redis.TlsMaterial;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rediss:// with certificate verification, as Azure Cache for Redis is reached on port 6380. */
class TlsTest {
  static TlsMaterial tls;
  static RedisServer redis;
  static int tlsPort;

  @BeforeAll
  static void start() {
    tls = TlsMaterial.generate();
    tlsPort = RedisServer.freePort();
    redis = RedisServer.start(tls.serverArguments(tlsPort));
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static CacheManager open(String uri, Map<String, String> environment,
      Map<String, String> redisSettings) {
    return Managers.inOwnProvider(uri, environment, redisSettings);
  }

  /** The client trusts the test's certificate authority. */
  private static Map<String, String> trusting() {
    return Map.of("truststore", tls.trustStore().toString(),
        "truststore-password", TlsMaterial.PASSWORD);
  }

  @Test
  void trustedCertificateConnects() {
    try (CacheManager manager = open("tls-ok",
        Map.of("REDIS_URL", "rediss://127.0.0.1:" + tlsPort + "/0"), trusting())) {
      assertEquals("redis", manager.unwrap(CacheLayerCacheManager.class).mode());
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
      cache.put("k", "over TLS");
      assertEquals("over TLS", cache.get("k"));
    }
    assertFalse(((String) redis.call("GET", "tls-ok:c:k")).isEmpty());
  }

  @Test
  void untrustedCertificateIsRefused() {
    assertThrows(CacheException.class, () -> open("tls-untrusted",
        Map.of("REDIS_URL", "rediss://127.0.0.1:" + tlsPort + "/0"),
        Map.of("on-unavailable", "fail-fast", "retries", "0")));
  }

  /**
   * A near cache's invalidation connection is a socket of its own: it must reach Redis as the
   * client does, over TLS with the trust store and as the URL's ACL user.
   */
  @Test
  void aNearCacheGetsItsInvalidationsOverTlsAsTheUrlsUser() throws Exception {
    int port = RedisServer.freePort();
    try (RedisServer server = RedisServer.start(tls.serverArguments(port))) {
      server.call("ACL", "SETUSER", "app", "on", ">app-secret", "~*", "&*", "+@all");
      Map<String, String> environment =
          Map.of("REDIS_URL", "rediss://app:app-secret@127.0.0.1:" + port + "/0");
      try (CacheManager reader = open("tls-near", environment, trusting());
          CacheManager writer = open("tls-near", environment, trusting())) {
        Cache<String, String> near =
            io.github.cachelayer.testing.NearCacheSupport.nearCache(reader, "c");
        Cache<String, String> plain = writer.createCache("c",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        plain.put("k", "v1");
        io.github.cachelayer.testing.NearCacheSupport.awaitNearHit(near, "k", "v1");
        plain.put("k", "v2");
        io.github.cachelayer.testing.NearCacheSupport.assertEventually(
            () -> "v2".equals(near.get("k")));
        var statistics = io.github.cachelayer.testing.NearCacheSupport.near(near);
        org.junit.jupiter.api.Assertions.assertTrue(statistics.hits() >= 1, statistics.toString());
        org.junit.jupiter.api.Assertions.assertTrue(statistics.invalidations() >= 1,
            statistics.toString());
        String clients = String.valueOf(server.call("CLIENT", "LIST"));
        org.junit.jupiter.api.Assertions.assertTrue(clients.lines().anyMatch(line ->
            line.contains("name=cachelayer-near-cache") && line.contains("user=app")), clients);
      }
    }
  }
}
