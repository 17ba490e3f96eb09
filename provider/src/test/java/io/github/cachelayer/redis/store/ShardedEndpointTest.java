package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisClusterServers;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server that shards keys behind one endpoint (Redis Enterprise's clustering policy, Azure
 * Managed Redis with the Enterprise clustering policy) refuses a command naming keys of
 * different hash slots with CROSSSLOT, though the client sees no cluster. Stood in for by a
 * one-node Redis Cluster reached through a plain redis:// URL: it owns every slot and still
 * refuses cross-slot commands.
 */
class ShardedEndpointTest {
  private static RedisClusterServers oneNode;

  @BeforeAll
  static void start() {
    oneNode = RedisClusterServers.start(1);
  }

  @AfterAll
  static void stop() {
    oneNode.close();
  }

  private static CacheManager manager(Map<String, String> settings) {
    return Managers.inOwnProvider("sharded-" + UUID.randomUUID(),
        Map.of("REDIS_URL", oneNode.nodes().get(0).url()), settings);
  }

  private static Map<String, String> entries(int count) {
    Map<String, String> entries = new HashMap<>();
    for (int i = 0; i < count; i++) {
      entries.put("k" + i, "v" + i);
    }
    return entries;
  }

  @Test
  void withMultiKeyCommandsOffEveryBulkOperationWorks() {
    try (CacheManager manager = manager(Map.of("multi-key-commands", "false"))) {
      Cache<String, String> eternal = manager.createCache("eternal",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      Cache<String, String> expiring = manager.createCache("expiring",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class)
              .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
      for (Cache<String, String> cache : java.util.List.of(eternal, expiring)) {
        Map<String, String> entries = entries(50);
        cache.putAll(entries); // MSET or one script for many entries, were they allowed
        assertEquals(entries, cache.getAll(entries.keySet())); // MGET
        cache.invokeAll(entries.keySet(), (entry, arguments) -> {
          entry.setValue(entry.getValue() + "!");
          return null;
        });
        assertEquals("v7!", cache.get("k7"));
        Set<String> some = new HashSet<>(Set.of("k1", "k2", "k3"));
        cache.removeAll(some);
        int left = 0;
        for (Cache.Entry<String, String> entry : cache) {
          assertTrue(entry.getValue().endsWith("!"));
          left++;
        }
        assertEquals(47, left);
        cache.clear(); // deletions grouped by slot
        assertEquals(Map.of(), cache.getAll(entries.keySet()));
        cache.putAll(entries(5));
        cache.removeAll();
        assertEquals(Map.of(), cache.getAll(entries(5).keySet()));
      }
    }
  }

  @Test
  void withTheDefaultTheRefusalNamesTheSettingThatFixesIt() {
    try (CacheManager manager = manager(Map.of())) {
      Cache<String, String> cache = manager.createCache("default",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      CacheException refused = assertThrows(CacheException.class,
          () -> cache.getAll(entries(20).keySet()));
      assertTrue(refused.getMessage().contains("CROSSSLOT")
          && refused.getMessage().contains("cachelayer.redis.multi-key-commands = false"),
          refused.getMessage());
    }
  }
}
