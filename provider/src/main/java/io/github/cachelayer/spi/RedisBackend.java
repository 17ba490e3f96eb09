package io.github.cachelayer.spi;

import io.github.cachelayer.codec.ClassAllowList;
import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.codec.EncryptingCodec;
import io.github.cachelayer.codec.HelperRecords;
import io.github.cachelayer.codec.JdkValueCodec;
import io.github.cachelayer.codec.JsonValueCodec;
import io.github.cachelayer.codec.KryoCopier;
import io.github.cachelayer.codec.KryoValueCodec;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.store.EvictionListener;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.SwitchingStore;
import io.github.cachelayer.store.UnavailableStore;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.store.redis.RedisClients;
import io.github.cachelayer.store.redis.RedisHealthProbe;
import io.github.cachelayer.store.redis.CircuitBreaker;
import io.github.cachelayer.store.redis.RedisStore;
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
 * background, and until it connects each cache runs on a stand-in store: none at all (reads miss,
 * writes are not kept), or a local store where the cache opted in. When Redis answers, every cache
 * switches to Redis and the stand-ins' contents are dropped.
 */
final class RedisBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);

  private final RedisSettings settings;
  private final String namespace;
  private final List<String> allowedEverywhere;
  private final Clock clock;
  private final Supplier<ClassLoader> classLoader;
  private final Copier localCopies;
  /** One breaker for the client: every cache sees the same Redis. */
  private final CircuitBreaker breaker;
  private final List<PendingCache<?, ?>> waiting = new ArrayList<>();
  private volatile RedissonClient client;
  private ScheduledExecutorService reconnector;
  private volatile boolean closed;

  private record PendingCache<K, V>(String name, CacheLayerConfiguration<K, V> configuration,
      SwitchingStore<K, V> store) {}

  /** @param allowedEverywhere what every cache adds to its own codec allow-list */
  RedisBackend(RedisSettings settings, String namespace, List<String> allowedEverywhere,
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
      this.client = RedisClients.connect(settings);
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
      LOG.error("Redis ({}) is not reachable: {}. Caches keep no data until it answers "
          + "(reconnecting every {} s)", settings.describe(), e.getMessage(),
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
      boolean entriesExpire) {
    synchronized (waiting) {
      RedissonClient connected = client;
      if (connected != null) {
        return redisStore(connected, cacheName, configuration);
      }
      Store<K, V> standIn;
      if (configuration.isLocalWhileRedisUnavailable()) {
        LOG.warn("Cache '{}' keeps a node-local store until Redis answers", cacheName);
        standIn = LocalBackend.localStore(clock, configuration, evictions, entriesExpire);
      } else {
        LOG.warn("Cache '{}' keeps no data until Redis answers: reads miss, writes are not kept",
            cacheName);
        standIn = new UnavailableStore<>();
      }
      SwitchingStore<K, V> store = new SwitchingStore<>(standIn);
      waiting.add(new PendingCache<>(cacheName, configuration, store));
      return store;
    }
  }

  private <K, V> RedisStore<K, V> redisStore(RedissonClient connected, String cacheName,
      CacheLayerConfiguration<K, V> configuration) {
    ValueCodec values = codec(cacheName, configuration, configuration.getValueType());
    ValueCodec keys = configuration.getCodecType() == CacheLayerConfiguration.CodecType.JSON
        ? codec(cacheName, configuration, configuration.getKeyType()) : values;
    return new RedisStore<>(connected, namespace, cacheName, keys, values,
        configuration.getDecodeFailure() == CacheLayerConfiguration.DecodeFailure.MISS,
        settings.expiredEntryRetention().toMillis(), settings.listenerLease().toMillis(), clock,
        settings.topology() != RedisSettings.Topology.CLUSTER, breaker);
  }

  /** @param jsonType for the json codec, the declared type it reads and writes */
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
    // The helpers' records stay readable by the scripts, except under encryption.
    return configuration.getEncryptionKeyId() == null ? new HelperRecords(codec)
        : new EncryptingCodec(codec, configuration.getEncryptionKeyId(),
            configuration.getEncryptionKeys());
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
      connected = RedisClients.connect(settings);
    } catch (RuntimeException e) {
      LOG.debug("Redis ({}) still not reachable: {}", settings.describe(), e.getMessage());
      return;
    }
    synchronized (waiting) {
      if (closed) {
        connected.shutdown();
        return;
      }
      client = connected;
      for (PendingCache<?, ?> cache : waiting) {
        switchToRedis(connected, cache);
      }
      waiting.clear();
    }
    LOG.warn("Redis ({}) answers now: caches use it from here on", settings.describe());
    reconnector.shutdown();
  }

  private <K, V> void switchToRedis(RedissonClient connected, PendingCache<K, V> cache) {
    cache.store().switchTo(redisStore(connected, cache.name(), cache.configuration()));
  }

  /**
   * Redis serializes every value, which already is the copy store-by-value asks for. A cache that
   * starts on a node-local stand-in (Redis not reached yet, {@code when-redis-unavailable =
   * local}) gets Kryo copies as in fallback mode: the stand-in keeps objects, and must not share
   * them with callers. It keeps copying after the switch, which costs a copy and is still right.
   */
  @Override
  public Copier copier(CacheLayerConfiguration<?, ?> configuration) {
    boolean standsIn = client == null && configuration.isLocalWhileRedisUnavailable();
    return standsIn && configuration.isStoreByValue() ? localCopies : Copier.IDENTITY;
  }

  @Override
  public CacheLayerHealth health() {
    RedissonClient connected = client;
    if (connected == null) {
      return new CacheLayerHealth(CacheLayerHealth.Status.DEGRADED, mode(), "Redis ("
          + settings.describe() + ") has not answered since start-up; caches keep no data, or "
          + "node-local data where configured, until it does", 0, 0, null);
    }
    return RedisHealthProbe.probe(connected, settings);
  }

  @Override
  public void close() {
    synchronized (waiting) {
      closed = true;
    }
    if (reconnector != null) {
      reconnector.shutdownNow();
    }
    RedissonClient connected = client;
    if (connected != null) {
      connected.shutdown();
    }
  }
}
