package io.github.cachelayer.tck;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.testing.redis.RedisClusterServers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.net.URI;
import java.util.List;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.RunListener;

/**
 * Starts the Redis the TCK runs against, before the first test of the run, and stops it after
 * the last. {@code -Dtck.redis=standalone|cluster} chooses; without it nothing starts and the
 * TCK runs in fallback mode. The provider is configured the way users configure it, through
 * {@code cachelayer.*} system properties, and nothing else: no codec allow-list either (a cache
 * reads back the classes it wrote itself).
 */
public final class RedisForTck extends RunListener {
  private static AutoCloseable servers;

  @Override
  public void testRunStarted(Description description) {
    start();
  }

  /** Also called lazily: some Surefire versions do not report the run start to listeners. */
  static synchronized void start() {
    if (servers != null) {
      return;
    }
    String mode = System.getProperty("tck.redis", "none");
    switch (mode) {
      case "standalone" -> {
        RedisServer server = RedisServer.start();
        System.setProperty("cachelayer.redis.url", server.url());
        servers = server;
        requireVersion(server);
      }
      case "cluster" -> {
        RedisClusterServers cluster = RedisClusterServers.start(3);
        List<String> nodes = cluster.addresses();
        for (int i = 0; i < nodes.size(); i++) {
          System.setProperty("cachelayer.redis.cluster-nodes." + i, nodes.get(i));
        }
        servers = cluster;
        requireVersion(cluster.nodes().get(0));
      }
      case "none" -> {
        servers = () -> { };
        return;
      }
      default -> throw new IllegalArgumentException("tck.redis must be standalone or cluster");
    }
    requireRedisMode();
  }

  /**
   * Says which Redis the suite runs against; a leg meant for the embedded Redis 6.2 (the oldest
   * supported) that found another would prove nothing about it: refuse to start.
   */
  private static void requireVersion(RedisServer server) {
    String version = server.version();
    System.out.println("TCK against redis-server " + version);
    if ("embedded".equals(System.getProperty("test.redis.binary"))
        && !version.startsWith("6.2.")) {
      throw new IllegalStateException("This TCK leg is for Redis 6.2 but found " + version);
    }
  }

  /** A Redis run that quietly fell back to local caches would prove nothing: refuse to start. */
  private static void requireRedisMode() {
    CachingProvider provider = Caching.getCachingProvider();
    String chosen = System.getProperty(Caching.JAVAX_CACHE_CACHING_PROVIDER);
    if (chosen != null && !provider.getClass().getName().equals(chosen)) {
      throw new IllegalStateException("The TCK was to run through " + chosen + " but runs "
          + "through " + provider.getClass().getName());
    }
    CacheManager probe = provider.getCacheManager(URI.create("tck-mode-probe"),
        provider.getDefaultClassLoader());
    try {
      String mode = probe.unwrap(CacheLayerCacheManager.class).mode();
      if (!"redis".equals(mode)) {
        throw new IllegalStateException("The TCK was to run against Redis but the provider "
            + "runs in " + mode + " mode");
      }
    } finally {
      probe.close();
    }
  }

  @Override
  public void testRunFinished(Result result) throws Exception {
    synchronized (RedisForTck.class) {
      if (servers != null) {
        servers.close();
      }
    }
  }
}
