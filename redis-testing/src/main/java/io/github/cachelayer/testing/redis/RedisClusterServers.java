package io.github.cachelayer.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Redis Cluster of N masters (no replicas) on loopback, slots split evenly. */
public final class RedisClusterServers implements AutoCloseable {
  private static final int SLOTS = 16_384;
  private final List<RedisServer> nodes;

  private RedisClusterServers(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  public static RedisClusterServers start(int masters) {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(RedisServer.start("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
      }
      RedisClusterServers cluster = new RedisClusterServers(nodes);
      cluster.assemble();
      return cluster;
    } catch (RuntimeException | IOException e) {
      nodes.forEach(RedisServer::close);
      throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
    }
  }

  private void assemble() throws IOException {
    int per = SLOTS / nodes.size();
    for (int i = 0; i < nodes.size(); i++) {
      int from = i * per;
      int to = i == nodes.size() - 1 ? SLOTS - 1 : from + per - 1;
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot <= to; slot++) {
        args.add(Integer.toString(slot));
      }
      nodes.get(i).call(args.toArray(String[]::new));
    }
    for (int i = 1; i < nodes.size(); i++) {
      nodes.get(0).call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (RedisServer node : nodes) {
        String info = (String) node.call("CLUSTER", "INFO");
        ok &= info.contains("cluster_state:ok")
            && info.contains("cluster_known_nodes:" + nodes.size());
      }
      if (ok) {
        return;
      }
      RedisServer.sleep(50);
    }
    throw new IllegalStateException("The test cluster did not reach cluster_state:ok");
  }

  public List<RedisServer> nodes() {
    return nodes;
  }

  /** Seed node addresses as host:port. */
  public List<String> addresses() {
    return nodes.stream().map(node -> "127.0.0.1:" + node.port()).toList();
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
