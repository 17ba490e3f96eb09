package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sentinel: the master dies, the sentinel promotes the replica, the caches carry on; a write the
 * master acknowledged but the lagging replica never got does not bring the older value back.
 */
@Tag("fault") // a master failed over by Sentinel
class SentinelFailoverTest {
  @Test
  void cachesCarryOnAfterTheReplicaIsPromoted() throws Exception {
    try (RedisServer master = RedisServer.start();
        RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()));
        RedisServer sentinel = RedisServer.startSentinel("mymaster", master.port())) {
      awaitReplication(replica);
      Properties properties = new Properties();
      properties.put(ManagerOverrides.ENVIRONMENT, Map.of());
      properties.put(ManagerOverrides.SETTINGS, Map.of(
          "cachelayer.redis.sentinel.master-name", "mymaster",
          "cachelayer.redis.sentinel.nodes.0", "127.0.0.1:" + sentinel.port(),
          "cachelayer.redis.on-outage", "fail",
          "cachelayer.redis.timeout", "1s")); // writes older than 3 s are safe
      CacheManager manager = new CacheLayerCachingProvider().getCacheManager(
          URI.create("sentinel"), getClass().getClassLoader(), properties);
      try {
        assertEquals("redis", manager.unwrap(CacheLayerCacheManager.class).mode());
        Cache<String, Integer> cache = manager.createCache("c", new MutableConfiguration<>());
        Map<String, Integer> entries = new HashMap<>();
        for (int i = 0; i < 100; i++) {
          entries.put("k" + i, i);
        }
        cache.putAll(entries);
        master.call("WAIT", "1", "5000");
        // Reads go to the master: a replica lags behind the writes the cache must read back.
        replica.call("CONFIG", "RESETSTAT");
        for (int i = 0; i < 100; i++) {
          assertEquals(i, cache.get("k" + i));
        }
        assertEquals(entries, cache.getAll(entries.keySet()));
        String replicaReads = (String) replica.call("INFO", "commandstats");
        assertFalse(replicaReads.contains("cmdstat_get:") || replicaReads.contains("cmdstat_mget:"),
            replicaReads);

        Thread.sleep(3_500); // past the window in which a failover may lose acknowledged writes
        // A lagging replica: frozen and cut off, so the next write reaches the master alone.
        replica.pause();
        master.call("CLIENT", "KILL", "TYPE", "replica");
        cache.put("k0", 1_000);
        master.kill();
        replica.resume();
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean written = false;
        Exception last = null;
        while (!written && System.nanoTime() < deadline) {
          try {
            cache.put("after", 1);
            written = true;
          } catch (RuntimeException e) {
            last = e;
            Thread.sleep(200);
          }
        }
        assertTrue(written, "writes resume on the promoted replica: " + last);
        assertTrue(((String) replica.call("INFO", "replication")).contains("role:master"));
        assertNotEquals(0, cache.get("k0"), "the value the lost write replaced does not return");
        entries.remove("k0");
        assertEquals(entries, cache.getAll(entries.keySet()), "replicated entries survive");
        assertTrue(cache.replace("k1", 1, 100), "scripts run on the new master");
        assertEquals(100, cache.get("k1"));
      } finally {
        manager.close();
      }
    }
  }

  private static void awaitReplication(RedisServer replica) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (((String) replica.call("INFO", "replication")).contains("master_link_status:up")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the replica did not sync");
  }
}
