package io.github.cachelayer.redis.near;

import static io.github.cachelayer.testing.NearCacheSupport.assertEventually;
import static io.github.cachelayer.testing.NearCacheSupport.awaitServing;
import static io.github.cachelayer.testing.NearCacheSupport.near;
import static io.github.cachelayer.testing.NearCacheSupport.nearCache;
import static io.github.cachelayer.testing.NearCacheSupport.nearLagsRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisClusterServers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A near cache on a cluster of 3 masters and 3 replicas: one invalidation connection per
 * master, invalidations from each, and a master SIGKILLed: its replica is promoted, the near
 * cache flushes, connects to the new master and serves again, and no near read returns an older
 * value than Redis answered more than the freshness window before.
 */
@Tag("fault") // a cluster master killed
class NearCacheClusterTest {
  private static final int KEYS = 30;

  @Test
  void everyMasterInvalidatesAndAFailoverFlushes() throws Exception {
    try (RedisClusterServers cluster = RedisClusterServers.start(3, true)) {
      Map<String, String> settings = new HashMap<>(Map.of("timeout", "500ms", "retries", "1",
          "retry-interval", "200ms"));
      List<String> nodes = cluster.addresses();
      for (int i = 0; i < nodes.size(); i++) {
        settings.put("cluster-nodes." + i, nodes.get(i));
      }
      try (CacheManager readerManager = Managers.inOwnProvider("near-cluster", Map.of(), settings);
          CacheManager writerManager = Managers.inOwnProvider("near-cluster", Map.of(),
              failing(settings));
          CacheManager truthManager = Managers.inOwnProvider("near-cluster", Map.of(), settings)) {
        Cache<String, String> reader = nearCache(readerManager, "c");
        Cache<String, String> writer = writerManager.createCache("c",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        // What Redis holds, read without a near cache.
        Cache<String, String> truth = truthManager.createCache("c",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        for (RedisServer master : cluster.masters()) {
          assertEquals(1, nearConnections(master), "one invalidation connection per master");
        }
        writeAll(writer, "r0");
        awaitServing(reader);
        for (int i = 0; i < KEYS; i++) {
          assertEquals("r0", reader.get("k" + i));
        }
        writeAll(writer, "r1");
        assertEventually(() -> allRead(reader, "r1"));
        assertTrue(near(reader).invalidations() >= KEYS, near(reader).toString());

        long flushes = near(reader).flushes();
        cluster.masters().get(0).kill();
        // Write until every key was written after the promotion; after each write, the near
        // cache must not lag what Redis answers by more than the freshness window.
        List<String> stale = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int round = 2;
        boolean settled = false;
        while (System.nanoTime() < end && !settled) {
          String value = "r" + round++;
          settled = true;
          for (int i = 0; i < KEYS; i++) {
            String key = "k" + i;
            try {
              writer.put(key, value);
            } catch (RuntimeException notYet) {
              settled = false;
              continue;
            }
            stale.addAll(nearLagsRedis(reader, truth, key, InvalidationFeed.FRESHNESS_MILLIS));
          }
        }
        settled = settled && allRead(reader, "r" + (round - 1));
        assertTrue(settled, "the keys were not all written and read back after the failover");
        assertTrue(stale.isEmpty(), "stale reads: " + stale);
        assertTrue(near(reader).flushes() > flushes, "the failover did not flush");
        RedisServer promoted = cluster.nodes().get(3);
        assertTrue(((String) promoted.call("INFO", "replication")).contains("role:master"));
        assertEventually(() -> nearConnections(promoted) == 1);
        awaitServing(reader);
        long hits = near(reader).hits();
        String last = reader.get("k0");
        assertEquals(last, reader.get("k0"));
        assertTrue(near(reader).hits() > hits, "the near cache serves again after the failover");
      }
    }
  }

  /** The writer's puts throw while Redis cannot take them: acknowledged means written. */
  private static Map<String, String> failing(Map<String, String> settings) {
    Map<String, String> failing = new HashMap<>(settings);
    failing.put("on-outage", "fail");
    return failing;
  }

  private static void writeAll(Cache<String, String> writer, String value) {
    for (int i = 0; i < KEYS; i++) {
      writer.put("k" + i, value);
    }
  }

  private static boolean allRead(Cache<String, String> reader, String value) {
    for (int i = 0; i < KEYS; i++) {
      if (!value.equals(reader.get("k" + i))) {
        return false;
      }
    }
    return true;
  }

  private static long nearConnections(RedisServer node) {
    return io.github.cachelayer.testing.NearCacheSupport.nearConnections(
        node.call("CLIENT", "LIST"));
  }
}
