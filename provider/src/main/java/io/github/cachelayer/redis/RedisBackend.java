package io.github.cachelayer.redis;

import io.github.cachelayer.Backend;
import io.github.cachelayer.local.LocalBackend;
import io.github.cachelayer.codec.ClassAllowList;
import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.codec.EncryptingCodec;
import io.github.cachelayer.redis.helpers.HelperRecords;
import io.github.cachelayer.codec.JdkValueCodec;
import io.github.cachelayer.codec.JsonValueCodec;
import io.github.cachelayer.codec.KryoCopier;
import io.github.cachelayer.codec.KryoValueCodec;
import io.github.cachelayer.codec.SizeLimitedCodec;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.OutagePolicy;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.store.EvictionListener;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.redis.outage.SwitchingStore;
import io.github.cachelayer.redis.outage.NotConnectedStore;
import io.github.cachelayer.redis.outage.OutagePolicyStore;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.redis.RedisClients;
import io.github.cachelayer.redis.RedisHealthProbe;
import io.github.cachelayer.redis.outage.CircuitBreaker;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import io.github.cachelayer.redis.helpers.ProcessorScripts;
import io.github.cachelayer.redis.store.RedisStore;
import io.github.cachelayer.redis.store.ServerProcessors;
import io.github.cachelayer.redis.store.RedisStoreOptions;
import io.github.cachelayer.redis.RedisMasters;
import io.github.cachelayer.redis.near.NearCaches;
import io.github.cachelayer.util.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis mode: every cache is a {@link RedisStore} on the manager's one Redisson client.
 *
 * <p>Redis configured but unreachable at start-up: with {@code fail-fast} the manager does not
 * open; otherwise one ERROR names the nodes (never the password), the client is retried in the
 * background, and until it connects each cache's outage policy answers for it (its store throws
 * {@link io.github.cachelayer.RedisUnavailableException} meanwhile). When Redis answers, every
 * cache switches to Redis, after deleting the keys it wrote or removed meanwhile.
 */
public final class RedisBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);

  private final RedisSettings settings;
  private final String namespace;
  private final List<String> allowedEverywhere;
  private final Clock clock;
  private final Supplier<ClassLoader> classLoader;
  private final Copier localCopies;
  /** One breaker for the client: every cache sees the same Redis. */
  private final CircuitBreaker breaker;
  /** Lost connections to a master, for the stores to settle their recent writes. */
  private final ConnectionLosses losses = new ConnectionLosses();
  private final List<PendingCache<?, ?>> waiting = new ArrayList<>();
  private volatile RedissonClient client;
  /** The caches' data path, on the client's topology; set with the client. */
  private volatile RedisLink link;
  private ScheduledExecutorService reconnector;
  private volatile boolean closed;
  /** The near caches' invalidation upkeep, made with the first near cache. */
  private NearCaches nearCaches;

  private record PendingCache<K, V>(String name, CacheLayerConfiguration<K, V> configuration,
      SwitchingStore<K, V> store, NotConnectedStore<K, V> notConnected, boolean near) {}

  /** @param allowedEverywhere what every cache adds to its own codec allow-list */
  public RedisBackend(RedisSettings settings, String namespace, List<String> allowedEverywhere,
      Clock clock, Supplier<ClassLoader> classLoader) {
    this.settings = settings;
    this.namespace = namespace;
    this.allowedEverywhere = allowedEverywhere;
    this.clock = clock;
    this.classLoader = classLoader;
    this.localCopies = new KryoCopier(classLoader);
    this.breaker = new CircuitBreaker(settings.breakerFailures(),
        settings.breakerOpenFor().toMillis());
    try {
      this.client = RedisClients.connect(settings, losses);
      this.link = RedisLink.of(client, settings);
      LOG.info("CacheLayer connected to Redis ({}), namespace '{}'", settings.describe(), namespace);
    } catch (RuntimeException e) {
      if (refusedCredentials(e)) {
        // A misconfiguration, not an outage: running without storage would hide it.
        throw new CacheException("Redis (" + settings.describe() + ") refused the credentials"
            + (settings.username() != null ? " of user '" + settings.username() + "'" : "")
            + ": check REDIS_PASSWORD / REDIS_URL or cachelayer.redis.username and password", e);
      }
      if (settings.onUnavailable() == RedisSettings.OnUnavailable.FAIL_FAST) {
        throw new CacheException("Redis (" + settings.describe() + ") is not reachable: "
            + e.getMessage(), e);
      }
      LOG.error("Redis ({}) is not reachable: {}. Each cache follows its outage policy until "
          + "it answers (reconnecting every {} s)", settings.describe(), e.getMessage(),
          settings.reconnectInterval().toSeconds());
      startReconnecting();
    }
  }

  /** Whether Redis answered but refused who we are (WRONGPASS, NOAUTH, an ACL user disabled). */
  static boolean refusedCredentials(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("WRONGPASS") || message.contains("NOAUTH")
          || message.contains("invalid password") || message.contains("invalid username")
          || cause.getClass().getSimpleName().equals("RedisWrongPasswordException")
          || cause.getClass().getSimpleName().equals("RedisAuthRequiredException")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String mode() {
    return "redis";
  }

  boolean isConnected() {
    return client != null;
  }

  @Override
  public <K, V> Store<K, V> createStore(String cacheName,
      CacheLayerConfiguration<K, V> configuration, EvictionListener<K, V> evictions,
      boolean entriesExpire, boolean readsKeepExpiry) {
    OutagePolicy policy = policyOf(configuration);
    boolean near = nearCacheUsable(cacheName, configuration, readsKeepExpiry);
    Supplier<Store<K, V>> localStores = () -> LocalBackend.localStore(clock,
        boundedForOutage(configuration), evictions, entriesExpire);
    synchronized (waiting) {
      RedissonClient connected = client;
      if (connected != null) {
        return new OutagePolicyStore<>(cacheName, policy,
            withNearCache(redisStore(connected, link, cacheName, configuration), configuration,
                near), localStores);
      }
      LOG.warn("Cache '{}' waits for Redis; until it answers, {}", cacheName, switch (policy) {
        case FAIL -> "its operations throw (on-outage = fail)";
        case BYPASS -> "reads miss and writes are skipped (on-outage = bypass)";
        case LOCAL -> "a node-local store serves it (on-outage = local)";
      });
      NotConnectedStore<K, V> notConnected =
          new NotConnectedStore<>(cacheName, settings.describe());
      SwitchingStore<K, V> store = new SwitchingStore<>(notConnected);
      waiting.add(new PendingCache<>(cacheName, configuration, store, notConnected, near));
      return new OutagePolicyStore<>(cacheName, policy, store, localStores);
    }
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
      RedissonClient connected = client;
      nearCaches = new NearCaches(settings, () -> RedisMasters.of(connected, settings));
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

  private <K, V> RedisStore<K, V> redisStore(RedissonClient connected, RedisLink dataPath,
      String cacheName, CacheLayerConfiguration<K, V> configuration) {
    ValueCodec plain = codec(cacheName, configuration, configuration.getValueType());
    // Keys are never encrypted (they name the entry; the same key must give the same bytes).
    ValueCodec keys = configuration.getCodecType() == CacheLayerConfiguration.CodecType.JSON
        ? codec(cacheName, configuration, configuration.getKeyType()) : plain;
    // The helpers' records stay readable by the scripts, except under encryption.
    ValueCodec values = configuration.getEncryptionKeyId() == null ? new HelperRecords(plain)
        : new EncryptingCodec(plain, configuration.getEncryptionKeyId(),
            configuration.getEncryptionKeys());
    // The helpers' processors run as scripts where their records are stored as the scripts
    // read them (not under encryption).
    ServerProcessors.Factory processors = values instanceof HelperRecords records
        ? ProcessorScripts.factory(dataPath, records, settings.expiredEntryRetention().toMillis())
        : null;
    return new RedisStore<>(connected, dataPath, namespace, cacheName, keys, values, clock,
        breaker, losses, processors, new RedisStoreOptions(
            configuration.getDecodeFailure() == CacheLayerConfiguration.DecodeFailure.MISS,
            settings.expiredEntryRetention().toMillis(), settings.listenerLease().toMillis(),
            settings.topology() != RedisSettings.Topology.CLUSTER,
            LOST_WRITE_MARGIN_MILLIS + settings.timeout().toMillis(),
            maxValueSize(configuration), configuration.getKeyType(),
            configuration.getValueType()));
  }

  /** The cache's {@code codec.max-value-size}, or the default bound when it sets none. */
  private static long maxValueSize(CacheLayerConfiguration<?, ?> configuration) {
    return configuration.getMaxValueSize() > 0 ? configuration.getMaxValueSize()
        : RedisStoreOptions.DEFAULT_MAX_VALUE_SIZE;
  }

  /**
   * The cache's codec, bounded by its {@code codec.max-value-size}, before the helpers' records
   * or encryption.
   *
   * @param jsonType for the json codec, the declared type it reads and writes
   */
  private ValueCodec codec(String cacheName, CacheLayerConfiguration<?, ?> configuration,
      Class<?> jsonType) {
    List<String> allowed = new ArrayList<>(configuration.getAllowedClasses());
    allowed.addAll(allowedEverywhere);
    for (Class<?> type : List.of(configuration.getKeyType(), configuration.getValueType())) {
      if (type != Object.class) {
        allowed.add(type.getName());
      }
    }
    ClassAllowList allowList = ClassAllowList.of(cacheName, allowed);
    ValueCodec codec = switch (configuration.getCodecType()) {
      case KRYO -> new KryoValueCodec(allowList, configuration.isSchemaEvolution(), classLoader);
      case JDK -> new JdkValueCodec(allowList, classLoader);
      case JSON -> {
        if (!JsonValueCodec.isAvailable(classLoader.get())) {
          throw new CacheException("Cache '" + cacheName + "' uses the json codec, which needs "
              + "com.fasterxml.jackson.core:jackson-databind on the class path");
        }
        yield new JsonValueCodec(jsonType);
      }
    };
    return new SizeLimitedCodec(codec, cacheName, maxValueSize(configuration));
  }

  private void startReconnecting() {
    reconnector = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cachelayer-redis-reconnect");
      thread.setDaemon(true);
      return thread;
    });
    long interval = Math.max(100, settings.reconnectInterval().toMillis());
    reconnector.scheduleWithFixedDelay(this::tryConnect, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void tryConnect() {
    if (closed || client != null) {
      return;
    }
    RedissonClient connected;
    try {
      connected = RedisClients.connect(settings, losses);
    } catch (RuntimeException e) {
      LOG.debug("Redis ({}) still not reachable: {}", settings.describe(), e.getMessage());
      return;
    }
    synchronized (waiting) {
      if (closed) {
        connected.shutdown();
        return;
      }
      RedisLink connectedLink = RedisLink.of(connected, settings);
      link = connectedLink;
      client = connected;
      for (PendingCache<?, ?> cache : waiting) {
        switchToRedis(connected, connectedLink, cache);
      }
      waiting.clear();
    }
    LOG.warn("Redis ({}) answers now: caches use it from here on", settings.describe());
    reconnector.shutdown();
  }

  private <K, V> void switchToRedis(RedissonClient connected, RedisLink connectedLink,
      PendingCache<K, V> cache) {
    RedisStore<K, V> redis = redisStore(connected, connectedLink, cache.name(),
        cache.configuration());
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
   */
  @Override
  public Copier copier(CacheLayerConfiguration<?, ?> configuration, boolean readsKeepExpiry) {
    boolean local = policyOf(configuration) == OutagePolicy.LOCAL
        || configuration.getNearCache() != null && readsKeepExpiry;
    return local && configuration.isStoreByValue() ? localCopies : Copier.IDENTITY;
  }

  @Override
  public CacheLayerHealth health() {
    RedissonClient connected = client;
    if (connected == null) {
      return new CacheLayerHealth(CacheLayerHealth.Status.DEGRADED, mode(), "Redis ("
          + settings.describe() + ") has not answered since start-up; caches follow their "
          + "outage policy until it does", 0, 0, null);
    }
    CacheLayerHealth probed = RedisHealthProbe.probe(connected, settings);
    if (breaker.remainingOpenMillis() == 0) {
      return probed; // closed, or the next call probes
    }
    // The probe bypasses the breaker: say that calls are still held back.
    String held = "the circuit breaker holds calls back for another "
        + breaker.remainingOpenMillis() + " ms (caches follow their outage policy)";
    return probed.status() == CacheLayerHealth.Status.UP
        ? new CacheLayerHealth(CacheLayerHealth.Status.DEGRADED, probed.mode(),
            "Redis answers PING again, but " + held, probed.connections(), probed.commands(),
            probed.pingLatency())
        : new CacheLayerHealth(probed.status(), probed.mode(), probed.reason() + "; " + held,
            probed.connections(), probed.commands(), probed.pingLatency());
  }

  @Override
  public void close() {
    synchronized (waiting) {
      closed = true;
    }
    if (reconnector != null) {
      reconnector.shutdownNow();
    }
    synchronized (this) {
      if (nearCaches != null) {
        nearCaches.close();
      }
    }
    RedisLink connectedLink = link;
    if (connectedLink != null) {
      connectedLink.close();
    }
    RedissonClient connected = client;
    if (connected != null) {
      connected.shutdown();
    }
  }
}
