package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.CheckedLoad;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisClusterServers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cluster of 3 masters and 3 replicas; a master is SIGKILLed under checked load
 * ({@link CheckedLoad}). Its replica is promoted, operations on its slots resume, and no read
 * contradicts the acknowledged writes, including writes the dead master acknowledged and its
 * replica may not have had.
 */
@Tag("fault") // a cluster master killed
class ClusterFailoverTest {
  @Test
  void operationsResumeAfterThePromotionAndNoReadContradictsTheWrites() throws Exception {
    try (RedisClusterServers cluster = RedisClusterServers.start(3, true)) {
      Map<String, String> settings = new HashMap<>(Map.of("on-outage", "fail",
          "timeout", "500ms", "retries", "1", "retry-interval", "200ms"));
      List<String> nodes = cluster.addresses();
      for (int i = 0; i < nodes.size(); i++) {
        settings.put("cluster-nodes." + i, nodes.get(i));
      }
      try (CacheManager manager = Managers.inOwnProvider("failover", Map.of(), settings)) {
        Cache<String, String> cache = manager.createCache("c",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        CheckedLoad load = CheckedLoad.start(cache, 4, 50, 30_000);
        Thread.sleep(6_000);
        RedisServer master = cluster.masters().get(0);
        master.kill();
        load.mark();
        load.join();
        RedisServer replica = cluster.nodes().get(3);
        System.out.printf("cluster failover: %d calls, %d failed, %.1f s without failures at "
            + "the end%n", load.calls(), load.failures(), load.secondsSinceLastFailure());
        assertTrue(((String) replica.call("INFO", "replication")).contains("role:master"),
            "the replica was promoted");
        assertTrue(load.problems().isEmpty(), load.problems().stream().limit(10).toList()
            .toString());
        assertTrue(load.secondsSinceLastFailure() >= 5,
            "operations resumed: the last failure was " + load.secondsSinceLastFailure()
                + " s before the end");
      }
    }
  }
}
