package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.FaultProxy;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Round trips counted on the wire: bulk operations are pipelined, one trip to the server. */
class BulkRoundTripTest {
  static RedisServer redis;
  static FaultProxy proxy;
  static CacheManager manager;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    proxy = new FaultProxy(redis.port());
    manager = Managers.inOwnProvider("bulk", Map.of("REDIS_URL", proxy.url()));
  }

  @AfterAll
  static void stop() {
    manager.close();
    proxy.close();
    redis.close();
  }

  private static int roundTripsOf(Runnable operation) {
    operation.run(); // warm: scripts loaded, connections open
    proxy.resetRoundTrips();
    operation.run();
    return proxy.roundTrips();
  }

  @Test
  void bulkOperationsOfAHundredKeysAreOneRoundTrip() {
    Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
    Map<String, String> entries = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      entries.put("k" + i, "value " + i);
    }
    Set<String> keys = new LinkedHashSet<>(entries.keySet());
    assertEquals(1, roundTripsOf(() -> cache.putAll(entries)), "putAll");
    assertEquals(1, roundTripsOf(() -> assertEquals(entries, cache.getAll(keys))), "getAll");
    assertEquals(1, roundTripsOf(() -> cache.removeAll(keys)), "removeAll(keys)");
    assertTrue(cache.getAll(keys).isEmpty());
  }

  @Test
  void singleKeyOperationsAreOneRoundTrip() {
    Cache<String, String> cache = manager.createCache("single", new MutableConfiguration<>());
    assertEquals(1, roundTripsOf(() -> cache.put("k", "v")), "put");
    assertEquals(1, roundTripsOf(() -> cache.get("k")), "get");
    assertEquals(1, roundTripsOf(() -> cache.replace("k", "v", "w")), "replace");
  }
}
