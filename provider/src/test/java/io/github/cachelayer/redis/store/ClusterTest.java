package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.testing.redis.RedisClusterServers;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One cache on a 3-master cluster: spread, bulk operations, clear and iteration. */
class ClusterTest {
  static RedisClusterServers cluster;
  static CacheManager manager;

  @BeforeAll
  static void start() {
    cluster = RedisClusterServers.start(3);
    Properties properties = new Properties();
    Map<String, String> environment = Map.of();
    properties.put(ManagerOverrides.ENVIRONMENT, environment);
    List<String> nodes = cluster.addresses();
    Map<String, String> settings = new java.util.HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      settings.put("cachelayer.redis.cluster-nodes." + i, nodes.get(i));
    }
    properties.put(ManagerOverrides.SETTINGS, settings);
    manager = new CacheLayerCachingProvider().getCacheManager(URI.create("spread"),
        ClusterTest.class.getClassLoader(), properties);
  }

  @AfterAll
  static void stop() {
    if (manager != null) {
      manager.close();
    }
    cluster.close();
  }

  @Test
  void oneCacheSpreadsEvenlyOverAllMasters() {
    Cache<String, Integer> cache = manager.createCache("spread", new MutableConfiguration<>());
    Map<String, Integer> batch = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      batch.put("user:" + i, i);
      if (batch.size() == 5_000) {
        cache.putAll(batch);
        batch.clear();
      }
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    long total = 0;
    for (RedisServer node : cluster.nodes()) {
      long keys = countKeys(node, "spread:spread:*");
      min = Math.min(min, keys);
      max = Math.max(max, keys);
      total += keys;
    }
    System.out.println("keys per master: min " + min + ", max " + max + ", ratio " + (double) max / min);
    assertEquals(100_000, total);
    assertTrue((double) max / min <= 1.2, "max/min per master = " + max + "/" + min);
    assertEquals(99_999, cache.get("user:99999"));
  }

  @Test
  void everyKindOfKeyTakesTheCompareAndSetPathWithItsClaimInItsOwnSlot() {
    Cache<String, Integer> cache = manager.createCache("claims", new MutableConfiguration<>());
    KeyNames names = new KeyNames("spread", "claims", null);
    RedisServer node = cluster.nodes().get(0);
    for (String key : List.of("plain", "user:{42}:cart", "a{b", "a{}b", "a}b", "{}")) {
      String redisKey = names.redisKey(key);
      String claim = names.claimKey(redisKey);
      if (key.contains("}") && !key.equals("user:{42}:cart")) {
        assertEquals(null, claim, key + ": no name shares this key's slot; no claim");
      } else {
        assertEquals(node.call("CLUSTER", "KEYSLOT", redisKey), node.call("CLUSTER", "KEYSLOT", claim),
            key + " -> " + claim);
        assertTrue(!claim.startsWith(names.prefix()), "outside the cache's keys: " + claim);
      }
      // One script reads the entry and its claim: a CROSSSLOT error would fail these.
      for (int i = 0; i < 2; i++) {
        cache.invoke(key, (entry, args) -> {
          entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
          return null;
        });
      }
      assertEquals(2, cache.get(key), key);
    }
  }

  @SuppressWarnings("unchecked")
  private static long countKeys(RedisServer node, String pattern) {
    long count = 0;
    String cursor = "0";
    do {
      List<Object> reply = (List<Object>) node.call("SCAN", cursor, "MATCH", pattern, "COUNT", "10000");
      cursor = (String) reply.get(0);
      count += ((List<Object>) reply.get(1)).size();
    } while (!cursor.equals("0"));
    return count;
  }

  @Test
  void bulkOperationsClearAndIterationSpanAllMasters() {
    Cache<String, Integer> cache = manager.createCache("bulk", new MutableConfiguration<>());
    Cache<String, Integer> other = manager.createCache("other", new MutableConfiguration<>());
    Map<String, Integer> entries = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      entries.put("k" + i, i);
    }
    cache.putAll(entries);
    other.putAll(entries);
    assertEquals(entries, cache.getAll(entries.keySet()));
    Set<String> iterated = new HashSet<>();
    cache.forEach(entry -> iterated.add(entry.getKey()));
    assertEquals(entries.keySet(), iterated);
    cache.removeAll(Set.of("k1", "k2", "k3"));
    assertEquals(297, cache.getAll(entries.keySet()).size());
    cache.clear();
    assertTrue(cache.getAll(entries.keySet()).isEmpty());
    assertEquals(300, other.getAll(entries.keySet()).size(), "clear leaves other caches alone");
  }
}
