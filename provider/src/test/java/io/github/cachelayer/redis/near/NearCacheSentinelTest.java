package io.github.cachelayer.redis.near;

import static io.github.cachelayer.testing.NearCacheSupport.assertEventually;
import static io.github.cachelayer.testing.NearCacheSupport.awaitServing;
import static io.github.cachelayer.testing.NearCacheSupport.near;
import static io.github.cachelayer.testing.NearCacheSupport.nearCache;
import static io.github.cachelayer.testing.NearCacheSupport.nearLagsRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A near cache under Sentinel, through a manual failover: the master is demoted to a replica
 * while it keeps running (its invalidation connection stays open), the replica is promoted.
 * The near cache must follow the new master: once the old one replicates from it, no near read
 * returns an older value than Redis answered more than the freshness window before. (Until
 * then both take writes, and those the old master takes are lost by the failover itself, near
 * cache or not.)
 */
@Tag("fault") // a master failed over by Sentinel
class NearCacheSentinelTest {
  @Test
  void aDemotedMasterIsLeftForTheNewOneWithoutAStaleRead() throws Exception {
    try (RedisServer master = RedisServer.start();
        RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()));
        RedisServer sentinel = RedisServer.startSentinel("mymaster", master.port())) {
      assertEventually(() -> String.valueOf(replica.call("INFO", "replication"))
          .contains("master_link_status:up"));
      Map<String, String> settings = Map.of("sentinel.master-name", "mymaster",
          "sentinel.nodes.0", "127.0.0.1:" + sentinel.port(), "timeout", "1s");
      Map<String, String> failing = new java.util.HashMap<>(settings);
      failing.put("on-outage", "fail");
      try (CacheManager readerManager = Managers.inOwnProvider("near-sentinel", Map.of(),
              settings);
          CacheManager writerManager = Managers.inOwnProvider("near-sentinel", Map.of(),
              failing);
          CacheManager truthManager = Managers.inOwnProvider("near-sentinel", Map.of(),
              settings)) {
        Cache<String, String> reader = nearCache(readerManager, "c");
        Cache<String, String> writer = writerManager.createCache("c",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        // What Redis holds, read without a near cache (the writer's own reads are its own).
        Cache<String, String> truth = truthManager.createCache("c",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        writer.put("k", "v0");
        awaitServing(reader);
        assertEquals("v0", reader.get("k"));
        assertEquals("v0", reader.get("k"));
        long flushes = near(reader).flushes();

        sentinel.call("SENTINEL", "FAILOVER", "mymaster");
        // Until the old master is a replica of the new one, both take writes (those the old one
        // takes are lost): two truths, and each node reads the one its client follows. After,
        // the old master refuses writes (READONLY) and serves what it replicates:
        // (Sentinel converts a live old master on its next check of it: up to about 10 s.)
        long demotedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!replicationOf(master).contains("role:slave")) {
          assertTrue(System.nanoTime() < demotedBy, "the old master was not demoted");
          Thread.sleep(100);
        }
        List<String> stale = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int round = 1;
        while (System.nanoTime() < end) {
          try {
            writer.put("k", "v" + round++);
          } catch (RuntimeException notYet) {
            Thread.sleep(50);
            continue;
          }
          stale.addAll(nearLagsRedis(reader, truth, "k", InvalidationFeed.FRESHNESS_MILLIS));
          Thread.sleep(20);
        }
        assertTrue(String.valueOf(replica.call("INFO", "replication")).contains("role:master"),
            "the replica was promoted");
        assertTrue(stale.isEmpty(), "stale reads: " + new java.util.TreeSet<>(stale)
            + " (" + stale.size() + ")");
        System.out.println("Sentinel failover: " + round + " writes, no stale read; " + near(reader));
        assertTrue(near(reader).flushes() > flushes, "the new master did not flush");
        assertEventually(() -> String.valueOf(replica.call("CLIENT", "LIST")).lines()
            .anyMatch(line -> line.contains("name=cachelayer-near-cache")));
        writer.put("k", "last");
        assertEventually(() -> "last".equals(reader.get("k")));
        awaitServing(reader);
        long hits = near(reader).hits();
        reader.get("k");
        assertTrue(near(reader).hits() > hits, "serving again on the new master");
      }
    }
  }

  /**
   * {@code INFO replication} of a node, or "" when the node reset the connection: Sentinel ends
   * the demoted master's client connections ({@code CLIENT KILL TYPE normal}) as it converts it,
   * and a poll that is open at that instant is one of them.
   */
  private static String replicationOf(RedisServer node) {
    try {
      return String.valueOf(node.call("INFO", "replication"));
    } catch (java.io.UncheckedIOException killedByTheFailover) {
      return "";
    }
  }
}
