package io.github.cachelayer.redis;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.api.redisnode.RedisNode;
import io.github.cachelayer.internal.redisson.api.redisnode.RedisNodes;
import io.github.cachelayer.management.CacheLayerHealth;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Asks every Redis master for PING and INFO: what {@link CacheLayerHealth} reports. */
public final class RedisHealthProbe {
  private RedisHealthProbe() {}

  public static CacheLayerHealth probe(RedissonClient client, RedisSettings settings) {
    long connections = 0;
    long commands = 0;
    long slowestNanos = 0;
    for (RedisNode master : masters(client, settings.topology())) {
      long start = System.nanoTime();
      boolean answered;
      try {
        answered = master.ping(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        answered = false;
      }
      if (!answered) {
        return down(master, settings);
      }
      slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
      try {
        connections += number(master.info(RedisNode.InfoSection.CLIENTS), "connected_clients");
        commands += number(master.info(RedisNode.InfoSection.STATS),
            "total_commands_processed");
      } catch (RuntimeException e) {
        return down(master, settings);
      }
    }
    return new CacheLayerHealth(CacheLayerHealth.Status.UP, "redis", null, connections, commands,
        Duration.ofNanos(slowestNanos));
  }

  private static CacheLayerHealth down(RedisNode master, RedisSettings settings) {
    return new CacheLayerHealth(CacheLayerHealth.Status.DOWN, "redis", "Redis master "
        + master.getAddr().getHostString() + ":" + master.getAddr().getPort()
        + " did not answer PING within " + settings.timeout().toMillis() + " ms", 0, 0, null);
  }

  private static Collection<? extends RedisNode> masters(RedissonClient client,
      RedisSettings.Topology topology) {
    return switch (topology) {
      case STANDALONE -> List.of(client.getRedisNodes(RedisNodes.SINGLE).getInstance());
      case SENTINEL -> List.of(client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster());
      case CLUSTER -> client.getRedisNodes(RedisNodes.CLUSTER).getMasters();
    };
  }

  private static long number(Map<String, String> info, String field) {
    String value = info.get(field);
    return value == null ? 0 : Long.parseLong(value.trim());
  }
}
