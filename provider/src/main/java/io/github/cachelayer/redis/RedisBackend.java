package io.github.cachelayer.redis;

import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.codec.KryoCopier;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.OutagePolicy;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.local.LocalBackend;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.redis.helpers.ProcessorScripts;
import io.github.cachelayer.redis.near.NearCaches;
import io.github.cachelayer.redis.outage.CircuitBreaker;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import io.github.cachelayer.redis.outage.NotConnectedStore;
import io.github.cachelayer.redis.outage.OutagePolicyStore;
import io.github.cachelayer.redis.outage.SwitchingStore;
import io.github.cachelayer.redis.store.RedisStore;
import io.github.cachelayer.redis.store.RedisStoreOptions;
import io.github.cachelayer.redis.store.ServerProcessors;
import io.github.cachelayer.store.Backend;
import io.github.cachelayer.store.EvictionListener;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.util.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis mode: assembles each cache's store from the layers under {@code redis} (the Redis store
 * on the manager's one {@link RedisConnection}, a near cache where one is declared and usable,
 * the outage policy around them) and reports health.
 *
 * <p>While Redis has not answered since start-up each cache's outage policy answers for it (its
 * store throws {@link io.github.cachelayer.RedisUnavailableException} meanwhile). When Redis
 * answers, every cache switches to Redis, after deleting the keys it wrote or removed meanwhile.
 */
public final class RedisBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);

  private final RedisSettings settings;
  private final String namespace;
  private final CacheCodecs.Sources codecSources;
  private final Clock clock;
  private final Copier localCopies;
  /** One breaker for the client: every cache sees the same Redis. */
  private final CircuitBreaker breaker;
  /** Lost connections to a master, for the stores to settle their recent writes. */
  private final ConnectionLosses losses = new ConnectionLosses();
  /** Caches made before Redis answered, to switch to it when it does (under the connection). */
  private final List<PendingCache<?, ?>> waiting = new ArrayList<>();
  private final RedisConnection connection;
  /** Credentials that change, renewed on every connection; null for a fixed password. */
  private final CredentialsRenewal credentials;
  /** The near caches' invalidation upkeep, made with the first near cache. */
  private NearCaches nearCaches;

  private record PendingCache<K, V>(String name, CacheLayerConfiguration<K, V> configuration,
      SwitchingStore<K, V> store, NotConnectedStore<K, V> notConnected, boolean near) {}

  /**
   * @param allowedEverywhere what every cache adds to its own codec allow-list
   * @param properties the manager's properties (a credentials provider may be one of them)
   */
  public RedisBackend(RedisSettings settings, String namespace, List<String> allowedEverywhere,
      Clock clock, Supplier<ClassLoader> classLoader, Properties properties) {
    this.settings = settings;
    this.namespace = namespace;
    this.codecSources = new CacheCodecs.Sources(allowedEverywhere, classLoader);
    this.clock = clock;
    this.localCopies = new KryoCopier(classLoader);
    this.breaker = new CircuitBreaker(settings.breakerFailures(),
        settings.breakerOpenFor().toMillis());
    this.credentials = CredentialsRenewal.of(settings, properties, classLoader.get());
    try {
      this.connection = new RedisConnection(settings, namespace, losses, credentials,
          this::switchToRedis);
    } catch (RuntimeException e) {
      if (credentials != null) {
        credentials.close();
      }
      throw e;
    }
  }

  @Override
  public String mode() {
    return "redis";
  }

  @Override
  public <K, V> Store<K, V> createStore(String cacheName,
      CacheLayerConfiguration<K, V> configuration, EvictionListener<K, V> evictions,
      boolean entriesExpire, boolean readsKeepExpiry) {
    OutagePolicy policy = policyOf(configuration);
    boolean near = nearCacheUsable(cacheName, configuration, readsKeepExpiry);
    Supplier<Store<K, V>> localStores = () -> LocalBackend.localStore(clock,
        boundedForOutage(configuration), evictions, entriesExpire);
    return connection.whenConnected(
        connected -> new OutagePolicyStore<>(cacheName, policy,
            withNearCache(redisStore(connected, cacheName, configuration), configuration, near),
            localStores),
        () -> {
          LOG.warn("Cache '{}' waits for Redis; until it answers, {}", cacheName,
              switch (policy) {
                case FAIL -> "its operations throw (on-outage = fail)";
                case BYPASS -> "reads miss and writes are skipped (on-outage = bypass)";
                case LOCAL -> "a node-local store serves it (on-outage = local)";
              });
          NotConnectedStore<K, V> notConnected =
              new NotConnectedStore<>(cacheName, settings.describe());
          SwitchingStore<K, V> store = new SwitchingStore<>(notConnected);
          waiting.add(new PendingCache<>(cacheName, configuration, store, notConnected, near));
          return new OutagePolicyStore<>(cacheName, policy, store, localStores);
        });
  }

  /**
   * A near cache answers reads without Redis, so it cannot serve a cache whose reads change the
   * entry's expiry (accessed, touched, or a policy of the application's, which may): each read
   * must reach Redis there, where the touch is atomic for every node. Such a cache runs without
   * one, and says so once.
   */
  private boolean nearCacheUsable(String cacheName, CacheLayerConfiguration<?, ?> configuration,
      boolean readsKeepExpiry) {
    if (configuration.getNearCache() == null) {
      return false;
    }
    if (!readsKeepExpiry) {
      LOG.warn("Cache '{}' runs without its near cache: its expiry policy ({}) may change an "
          + "entry's expiry on every read, which must reach Redis", cacheName,
          configuration.getExpiryPolicyFactory());
      return false;
    }
    return true;
  }

  private <K, V> Store<K, V> withNearCache(RedisStore<K, V> redis,
      CacheLayerConfiguration<K, V> configuration, boolean near) {
    if (!near) {
      return redis;
    }
    return nearCaches().wrap(redis, redis.keyPrefix(), redis::cacheKeyOf,
        configuration.getNearCache(), clock);
  }

  private synchronized NearCaches nearCaches() {
    if (nearCaches == null) {
      RedissonClient connected = connection.current().client();
      nearCaches = new NearCaches(settings, () -> RedisMasters.of(connected, settings),
          credentials == null ? null : credentials::forNewConnection);
      if (credentials != null) {
        credentials.onRenewed(nearCaches::credentialsRenewed);
      }
    }
    return nearCaches;
  }

  private OutagePolicy policyOf(CacheLayerConfiguration<?, ?> configuration) {
    return configuration.getOutagePolicy() != null ? configuration.getOutagePolicy()
        : settings.onOutage();
  }

  /**
   * How long before Redis is seen failing (a timeout later at most) a write it acknowledged may
   * be missing from a replica or the disk: a second of {@code appendfsync everysec}, and a
   * second of replication lag.
   */
  static final long LOST_WRITE_MARGIN_MILLIS = 2_000;

  /** The outage's local store holds at most this many entries when the cache sets no bound. */
  static final long OUTAGE_LOCAL_ENTRIES = 10_000;

  private static <K, V> CacheLayerConfiguration<K, V> boundedForOutage(
      CacheLayerConfiguration<K, V> configuration) {
    if (configuration.getMaximumSize() >= 0 || configuration.getMaximumWeight() >= 0) {
      return configuration;
    }
    CacheLayerConfiguration<K, V> bounded = new CacheLayerConfiguration<>(configuration);
    bounded.setMaximumSize(OUTAGE_LOCAL_ENTRIES);
    return bounded;
  }

  private <K, V> RedisStore<K, V> redisStore(RedisConnection.Connected connected,
      String cacheName, CacheLayerConfiguration<K, V> configuration) {
    CacheCodecs codecs = CacheCodecs.of(cacheName, configuration, codecSources);
    // The helpers' processors run as scripts where their records are stored as the scripts
    // read them (not under encryption).
    ServerProcessors.Factory processors = codecs.helperRecords() == null ? null
        : ProcessorScripts.factory(connected.link(), codecs.helperRecords(),
            settings.expiredEntryRetention().toMillis());
    return new RedisStore<>(connected.client(), connected.link(), namespace, cacheName,
        codecs.keys(), codecs.values(), clock, breaker, losses, processors,
        new RedisStoreOptions(
            configuration.getDecodeFailure() == CacheLayerConfiguration.DecodeFailure.MISS,
            settings.expiredEntryRetention().toMillis(), settings.listenerLease().toMillis(),
            settings.multiKeyCommands(),
            LOST_WRITE_MARGIN_MILLIS + settings.timeout().toMillis(),
            CacheCodecs.maxValueSize(configuration), configuration.getKeyType(),
            configuration.getValueType()));
  }

  /** Redis answered late: every cache made meanwhile switches to it (under the connection). */
  private void switchToRedis(RedisConnection.Connected connected) {
    for (PendingCache<?, ?> cache : waiting) {
      switchToRedis(connected, cache);
    }
    waiting.clear();
  }

  private <K, V> void switchToRedis(RedisConnection.Connected connected,
      PendingCache<K, V> cache) {
    RedisStore<K, V> redis = redisStore(connected, cache.name(), cache.configuration());
    // Redis may hold values, from before its restart, that the application replaced meanwhile.
    redis.settleBeforeUse(cache.notConnected().unsettledKeys(),
        cache.notConnected().mustClearAll());
    cache.store().switchTo(withNearCache(redis, cache.configuration(), cache.near()));
  }

  /**
   * Redis serializes every value, which already is the copy store-by-value asks for. A cache
   * under the {@code local} outage policy gets Kryo copies as in fallback mode: its outage store
   * keeps objects, and must not share them with callers. So does a cache with a near cache,
   * whose copies are objects shared by every read. It copies while Redis serves it too, which
   * costs a copy and is still right (immutable values such as strings are never copied). A
   * cache that declares a near cache it cannot use (see {@link #createStore}) needs no copies.
   * Every cache stores by value here: the manager refuses others (see
   * {@link #storesByReference}).
   */
  @Override
  public Copier copier(CacheLayerConfiguration<?, ?> configuration, boolean readsKeepExpiry) {
    boolean local = policyOf(configuration) == OutagePolicy.LOCAL
        || (configuration.getNearCache() != null && readsKeepExpiry);
    return local ? localCopies : Copier.IDENTITY;
  }

  @Override
  public boolean storesByReference() {
    return false;
  }

  @Override
  public CacheLayerHealth health() {
    RedisConnection.Connected connected = connection.current();
    if (connected == null) {
      return new CacheLayerHealth(CacheLayerHealth.Status.DEGRADED, mode(), "Redis ("
          + settings.describe() + ") has not answered since start-up; caches follow their "
          + "outage policy until it does", 0, 0, null);
    }
    CacheLayerHealth probed = withCredentials(
        RedisHealthProbe.probe(connected.client(), settings));
    if (breaker.remainingOpenMillis() == 0) {
      return probed; // closed, or the next call probes
    }
    // The probe bypasses the breaker: say that calls are still held back.
    String held = "the circuit breaker holds calls back for another "
        + breaker.remainingOpenMillis() + " ms (caches follow their outage policy)";
    return degraded(probed, "Redis answers PING again, but " + held, held);
  }

  /** A renewal that failed leaves connections on credentials that will expire: not UP. */
  private CacheLayerHealth withCredentials(CacheLayerHealth probed) {
    String problem = credentials == null ? null : credentials.problem();
    if (problem == null) {
      return probed;
    }
    return degraded(probed, "Redis answers, but " + problem, problem);
  }

  /**
   * {@code probed} with a problem the probe cannot see: UP becomes DEGRADED for
   * {@code reasonIfUp}; a status already worse keeps its reason, with {@code problem} added.
   */
  private static CacheLayerHealth degraded(CacheLayerHealth probed, String reasonIfUp,
      String problem) {
    return probed.status() == CacheLayerHealth.Status.UP
        ? new CacheLayerHealth(CacheLayerHealth.Status.DEGRADED, probed.mode(), reasonIfUp,
            probed.connections(), probed.commands(), probed.pingLatency())
        : new CacheLayerHealth(probed.status(), probed.mode(), probed.reason() + "; " + problem,
            probed.connections(), probed.commands(), probed.pingLatency());
  }

  @Override
  public void close() {
    if (credentials != null) {
      credentials.close();
    }
    connection.stopConnecting();
    synchronized (this) {
      if (nearCaches != null) {
        nearCaches.close();
      }
    }
    connection.close();
  }
}
