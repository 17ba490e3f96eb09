package io.github.cachelayer.store.near;

import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.util.Clock;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The near caches of one CacheManager: how their invalidation connections reach Redis, and the
 * one thread that keeps them all (heartbeats, reconnection, topology).
 */
public final class NearCaches implements AutoCloseable {
  private final NodeConnector connector;
  private final Supplier<List<InetSocketAddress>> masters;
  private final ScheduledExecutorService upkeep;
  /** Opens invalidation connections, which may block for the connect timeout. */
  private final ExecutorService opener;

  /** @param masters the master nodes now, as the manager's client sees them */
  public NearCaches(RedisSettings settings, Supplier<List<InetSocketAddress>> masters) {
    // Silent this long (heartbeats answer every 100 ms): the connection counts as lost.
    int silence = (int) Math.max(2_000, settings.timeout().toMillis());
    this.connector = new NodeConnector(settings, silence);
    this.masters = masters;
    this.upkeep = Executors.newSingleThreadScheduledExecutor(daemon("cachelayer-near-cache-upkeep"));
    this.opener = Executors.newCachedThreadPool(daemon("cachelayer-near-cache-connect"));
  }

  /**
   * The store with a near cache in front.
   *
   * @param prefix the prefix of every Redis key of the cache
   * @param cacheKeys the cache key a Redis key of the cache names
   */
  public <K, V> NearCacheStore<K, V> wrap(Store<K, V> redis, String cacheName, String prefix,
      Function<String, Object> cacheKeys, NearCacheSettings settings, Clock clock) {
    NearCacheStore<K, V> near = new NearCacheStore<>(redis, cacheKeys, clock, settings);
    near.feedFrom(new InvalidationFeed(cacheName, prefix, connector, masters, near, upkeep,
        opener));
    return near;
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
    opener.shutdownNow();
  }
}
