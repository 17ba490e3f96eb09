package io.github.cachelayer.redis.near;

import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.redis.socket.NodeConnector;
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
 * The near caches of one CacheManager: their one invalidation feed (a connection per master for
 * all of them), how it reaches Redis, and the one thread that keeps it (heartbeats,
 * reconnection, topology).
 */
public final class NearCaches implements AutoCloseable {
  private final NodeConnector connector;
  private final Supplier<List<InetSocketAddress>> masters;
  private final ScheduledExecutorService upkeep;
  /** Opens invalidation connections, which may block for the connect timeout. */
  private final ExecutorService opener;
  private InvalidationFeed feed;
  private boolean closed;

  /**
   * @param masters the master nodes now, as the manager's client sees them
   * @param credentials what a new connection authenticates with; null for the settings' fixed
   *     password
   */
  public NearCaches(RedisSettings settings, Supplier<List<InetSocketAddress>> masters,
      Supplier<RedisCredentials> credentials) {
    // Silent this long (heartbeats answer every 100 ms): the connection counts as lost.
    int silence = (int) Math.max(2_000, settings.timeout().toMillis());
    this.connector = new NodeConnector(settings, silence, credentials);
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
  public <K, V> NearCacheStore<K, V> wrap(Store<K, V> redis, String prefix,
      Function<String, Object> cacheKeys, NearCacheSettings settings, Clock clock) {
    NearCacheStore<K, V> near = new NearCacheStore<>(redis, cacheKeys, clock, settings);
    near.feedFrom(feed().subscribe(prefix, near));
    return near;
  }

  /** The manager's one feed, made with its first near cache. */
  private synchronized InvalidationFeed feed() {
    if (closed) {
      throw new IllegalStateException("The near caches of this manager are closed");
    }
    if (feed == null) {
      feed = new InvalidationFeed(connector, masters, upkeep, opener);
    }
    return feed;
  }

  /** The credentials were renewed: every invalidation connection is replaced. */
  public synchronized void credentialsRenewed() {
    if (feed != null) {
      feed.credentialsRenewed();
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (feed != null) {
      feed.close();
    }
    upkeep.shutdownNow();
    opener.shutdownNow();
  }
}
