package io.github.cachelayer.redis;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.api.redisnode.RedisClusterMaster;
import io.github.cachelayer.internal.redisson.api.redisnode.RedisNodes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The master nodes a client sends its writes to now: where invalidations come from. */
public final class RedisMasters {
  private RedisMasters() {}

  /**
   * Standalone: the configured address (its host name, as TLS checks it); Sentinel: the master
   * the client follows; cluster: every master of the client's current topology.
   */
  public static List<InetSocketAddress> of(RedissonClient client, RedisSettings settings) {
    return switch (settings.topology()) {
      case STANDALONE -> {
        URI address = URI.create(settings.addresses().get(0));
        yield List.of(new InetSocketAddress(address.getHost(), address.getPort()));
      }
      case SENTINEL -> List.of(
          client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster().getAddr());
      case CLUSTER -> {
        List<InetSocketAddress> masters = new ArrayList<>();
        for (RedisClusterMaster master : client.getRedisNodes(RedisNodes.CLUSTER).getMasters()) {
          masters.add(master.getAddr());
        }
        yield masters;
      }
    };
  }
}
