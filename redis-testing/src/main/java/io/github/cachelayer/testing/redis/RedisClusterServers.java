package io.github.cachelayer.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of N masters on loopback, slots split evenly, optionally with one replica per
 * master (a failover promotes it about two seconds after its master dies).
 */
public final class RedisClusterServers implements AutoCloseable {
  private static final int SLOTS = 16_384;
  /** Masters first, then their replicas in the same order. */
  private final List<RedisServer> nodes;
  private final int masters;

  private RedisClusterServers(List<RedisServer> nodes, int masters) {
    this.nodes = nodes;
    this.masters = masters;
  }

  public static RedisClusterServers start(int masters) {
    return start(masters, false);
  }

  /** @param withReplicas one replica per master */
  public static RedisClusterServers start(int masters, boolean withReplicas) {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < (withReplicas ? 2 * masters : masters); i++) {
        nodes.add(RedisServer.start("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
      }
      RedisClusterServers cluster = new RedisClusterServers(nodes, masters);
      cluster.assemble();
      if (withReplicas) {
        cluster.attachReplicas();
      }
      return cluster;
    } catch (RuntimeException | IOException e) {
      nodes.forEach(RedisServer::close);
      throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
    }
  }

  private void assemble() throws IOException {
    int per = SLOTS / masters;
    for (int i = 0; i < masters; i++) {
      int from = i * per;
      int to = i == masters - 1 ? SLOTS - 1 : from + per - 1;
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

  private void attachReplicas() {
    for (int i = 0; i < masters; i++) {
      String masterId = (String) nodes.get(i).call("CLUSTER", "MYID");
      nodes.get(masters + i).call("CLUSTER", "REPLICATE", masterId);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean synced = true;
      for (RedisServer replica : nodes.subList(masters, nodes.size())) {
        synced &= ((String) replica.call("INFO", "replication"))
            .contains("master_link_status:up");
      }
      if (synced) {
        return;
      }
      RedisServer.sleep(50);
    }
    throw new IllegalStateException("The test cluster's replicas did not sync");
  }

  /** Every node, masters first (then their replicas, if any, in the same order). */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The nodes started as masters. */
  public List<RedisServer> masters() {
    return nodes.subList(0, masters);
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
