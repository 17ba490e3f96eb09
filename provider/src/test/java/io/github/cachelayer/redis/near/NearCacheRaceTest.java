package io.github.cachelayer.redis.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.cache.AsyncCache;
import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.codec.ClassAllowList;
import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.codec.KryoValueCodec;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.ManagerSettings;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.redis.RedisClients;
import io.github.cachelayer.redis.RedisMasters;
import io.github.cachelayer.redis.helpers.HelperRecords;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import io.github.cachelayer.redis.store.RedisStore;
import io.github.cachelayer.store.Backend;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.EvictionListener;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.FaultProxy;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.util.Clock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The race a near cache must win: Redis answers a read with the old value, another client
 * changes the key, and the invalidation reaches this JVM before the answer does. The read here
 * is held between Redis's answer and the near cache keeping it, while a real write by another
 * manager happens and its real invalidation (or a lost connection) is applied.
 */
class NearCacheRaceTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  private RedissonClient client;
  private io.github.cachelayer.redis.link.RedisLink link;
  private NearCaches nearCaches;
  private CacheManager writerManager;
  private Cache<String, String> writer;
  private HeldReads held;
  private RedisStore<String, String> store;
  private NearCacheStore<String, String> near;

  /** The Redis store, with a hook run after each read got its answer and before it returns. */
  private static final class HeldReads implements Store<String, String> {
    private final RedisStore<String, String> redis;
    volatile Runnable afterAnswer;
    volatile Runnable afterWrite;
    /** Writes sent with no thread waiting. */
    final java.util.concurrent.atomic.AtomicInteger sentWithoutWaiting =
        new java.util.concurrent.atomic.AtomicInteger();

    HeldReads(RedisStore<String, String> redis) {
      this.redis = redis;
    }

    @Override
    public StoredEntry<String> read(String key) {
      StoredEntry<String> answer = redis.read(key);
      Runnable hook = afterAnswer;
      afterAnswer = null;
      runIfSet(hook);
      return answer;
    }

    @Override
    public <R> R compute(String key, EntryAction<String, R> action) {
      R result = redis.compute(key, action);
      runAfterWrite();
      return result;
    }

    /** The asynchronous view's write, with the same hook once Redis answered it. */
    @Override
    public <R> java.util.concurrent.CompletableFuture<R> computeWithoutWaiting(String key,
        EntryAction<String, R> action, java.util.concurrent.Executor executor) {
      java.util.concurrent.CompletableFuture<R> attempt =
          redis.computeWithoutWaiting(key, action, executor);
      if (attempt == null) {
        return null;
      }
      sentWithoutWaiting.incrementAndGet();
      return attempt.thenApply(result -> {
        runAfterWrite();
        return result;
      });
    }

    private void runAfterWrite() {
      Runnable hook = afterWrite;
      afterWrite = null;
      runIfSet(hook);
    }

    private static void runIfSet(Runnable hook) {
      if (hook != null) {
        hook.run();
      }
    }

    /** Shared, as Redis is: the asynchronous view then sends rather than runs on the caller. */
    @Override
    public boolean coordinatesLoads() {
      return true;
    }

    @Override
    public StoredEntry<String> peek(String key) {
      return redis.peek(key);
    }

    @Override
    public Iterator<String> keys() {
      return redis.keys();
    }

    @Override
    public void clear() {
      redis.clear();
    }

    @Override
    public long estimatedSize() {
      return redis.estimatedSize();
    }

    @Override
    public void close() {
      redis.close();
    }
  }

  @BeforeEach
  void open() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    RedisSettings settings = ManagerSettings.load(URI.create("race"), false, loader,
        Map.of("REDIS_URL", redis.url())).redis();
    client = RedisClients.connect(settings, new ConnectionLosses());
    // The codec a manager gives a cache of strings, so both read each other's entries.
    ValueCodec codec = new HelperRecords(new KryoValueCodec(
        ClassAllowList.of("race", List.of()), false, () -> loader));
    link = io.github.cachelayer.redis.link.RedisLink.of(client, settings);
    store = new RedisStore<>(client, link, "race", "race", codec,
        codec, Clock.SYSTEM,
        io.github.cachelayer.redis.store.RedisStoreOptions.defaults(30_000, true));
    held = new HeldReads(store);
    nearCaches = new NearCaches(settings, () -> RedisMasters.of(client, settings), null);
    near = nearCaches.wrap(held, store.keyPrefix(), store::cacheKeyOf,
        new NearCacheSettings(100, Duration.ofMinutes(10)), Clock.SYSTEM);
    writerManager = Managers.inOwnProvider("race", Map.of("REDIS_URL", redis.url()));
    writer = writerManager.createCache("race",
        new javax.cache.configuration.MutableConfiguration<String, String>()
            .setTypes(String.class, String.class));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!near.statistics().serving()) {
      assertTrue(System.nanoTime() < deadline, "the near cache never started serving");
      Thread.sleep(10);
    }
  }

  @AfterEach
  void close() {
    near.close();
    nearCaches.close();
    writerManager.close();
    link.close();
    client.shutdown();
  }

  private String value(StoredEntry<String> entry) {
    return entry == null ? null : entry.value();
  }

  @Test
  void anInvalidationThatOvertakesTheAnswerWins() throws Exception {
    long invalidations = near.statistics().invalidations();
    writer.put("k", "old");
    awaitInvalidationsAbove(invalidations); // the write's own invalidation, out of the way
    long before = near.statistics().invalidations();
    held.afterAnswer = () -> {
      writer.put("k", "new"); // Redis answered "old" already
      awaitInvalidationsAbove(before);
    };
    assertEquals("old", value(near.read("k")), "the read answered before the write");
    assertEquals("new", value(near.read("k")), "the overtaken answer was kept");
    assertEquals("new", value(near.read("k")));
    assertEquals(1, near.statistics().size());
  }

  @Test
  void aFlushWhileAReadIsUnderWayDiscardsItsAnswer() throws Exception {
    writer.put("k", "old");
    awaitInvalidationsAbove(0);
    long flushes = near.statistics().flushes();
    held.afterAnswer = () -> {
      // The invalidation connection goes; the write meanwhile is never announced to us.
      killNearCacheConnections();
      awaitFlushesAbove(flushes);
      writer.put("k", "new");
      // Back in service on a new connection before the old answer arrives.
      await(() -> near.statistics().serving(), "the near cache did not reconnect");
    };
    assertEquals("old", value(near.read("k")));
    assertEquals("new", value(near.read("k")), "an answer from before the flush was kept");
  }

  /**
   * This node's put is acknowledged, then another node's put lands and both invalidations arrive
   * before the put returns: its value must not be kept (the change after it would be lost).
   */
  @Test
  void anOwnWriteOvertakenByAnotherNodesWriteKeepsNothing() throws Exception {
    Cache<String, String> mine = nearOwnWrites();
    long before = near.statistics().invalidations();
    held.afterWrite = () -> {
      writer.put("k", "theirs");
      awaitInvalidationsAbove(before + 1); // ours and theirs
    };
    mine.put("k", "mine");
    assertEquals("theirs", mine.get("k"), "this node kept its own, replaced, value");
    assertEquals("theirs", mine.get("k"));
  }

  /** The same through the asynchronous view, whose put no thread waits for. */
  @Test
  void anOwnAsynchronousWriteOvertakenByAnotherNodesWriteKeepsNothing() throws Exception {
    AsyncCache<String, String> async = nearOwnAsyncWrites();
    Cache<String, String> mine = async.synchronous();
    long before = near.statistics().invalidations();
    held.afterWrite = () -> {
      writer.put("k", "theirs");
      awaitInvalidationsAbove(before + 1); // ours and theirs
    };
    async.put("k", "mine").get(10, TimeUnit.SECONDS);
    assertEquals(1, held.sentWithoutWaiting.get(), "the put went the way with no thread waiting");
    assertEquals("theirs", mine.get("k"), "this node kept its own, replaced, value");
    assertEquals("theirs", async.get("k").get(10, TimeUnit.SECONDS));
  }

  /** Without interference, an asynchronous put is kept as the synchronous one is. */
  @Test
  void anOwnAsynchronousWriteIsKeptThroughItsOwnInvalidation() throws Exception {
    AsyncCache<String, String> async = nearOwnAsyncWrites();
    Cache<String, String> mine = async.synchronous();
    long before = near.statistics().invalidations();
    async.put("k", "mine").get(10, TimeUnit.SECONDS);
    assertEquals(1, held.sentWithoutWaiting.get(), "the put went the way with no thread waiting");
    awaitInvalidationsAbove(before);
    long misses = near.statistics().misses();
    assertEquals("mine", mine.get("k"));
    assertEquals(misses, near.statistics().misses(), "the own write's value was not kept");
    writer.put("k", "theirs");
    await(() -> "theirs".equals(mine.get("k")), "another node's later write was not seen");
  }

  /** Without interference, this node's put is kept and its own invalidation lets it be. */
  @Test
  void anOwnWriteIsKeptThroughItsOwnInvalidation() throws Exception {
    Cache<String, String> mine = nearOwnWrites();
    long before = near.statistics().invalidations();
    mine.put("k", "mine");
    awaitInvalidationsAbove(before);
    long misses = near.statistics().misses();
    assertEquals("mine", mine.get("k"));
    assertEquals(misses, near.statistics().misses(), "the own write's value was not kept");
    writer.put("k", "theirs");
    await(() -> "theirs".equals(mine.get("k")), "another node's later write was not seen");
  }

  /**
   * A write is acknowledged while its invalidation is still on its way down the tracking
   * connection (held in a proxy, as TCP holds it during a retransmission stall), and that
   * connection is replaced (renewed credentials) before the invalidation arrives: the new one
   * never hears of the write, so the old one must deliver it before it is closed, or the copy
   * of the replaced value is served for as long as nobody writes the key again.
   */
  @Test
  void aReplacedConnectionDeliversWhatRedisSentItBeforeItIsClosed() throws Exception {
    try (FaultProxy proxy = new FaultProxy(redis.server().port())) {
      RedisSettings settings = ManagerSettings.load(URI.create("race"), false,
          getClass().getClassLoader(), Map.of("REDIS_URL", redis.url())).redis();
      InetSocketAddress throughProxy = new InetSocketAddress("127.0.0.1", proxy.port());
      try (NearCaches tracked = new NearCaches(settings, () -> List.of(throughProxy), null)) {
        NearCacheStore<String, String> copies = tracked.wrap(held, store.keyPrefix(),
            store::cacheKeyOf, new NearCacheSettings(100, Duration.ofMinutes(10)), Clock.SYSTEM);
        await(() -> copies.statistics().serving(), "the near cache never started serving");
        writer.put("k", "old");
        await(() -> {
          long hits = copies.statistics().hits();
          return "old".equals(value(copies.read("k"))) && copies.statistics().hits() > hits;
        }, "no copy of the first value was kept");

        proxy.stallExisting(Duration.ofMillis(700)); // the tracking connection, and only it
        writer.put("k", "new"); // acknowledged; its invalidation waits in the proxy
        tracked.credentialsRenewed(); // a new connection tracks from now on
        Thread.sleep(1_200); // the stall is over; the new connection long in place
        await(() -> copies.statistics().serving(), "the near cache stopped serving");
        for (int i = 0; i < 100; i++) {
          assertEquals("new", value(copies.read("k")), "the copy of the replaced value");
        }
        assertEquals(1, proxy.openConnections(), "the replaced connection was not closed");
      }
    }
  }

  /** A cache over the test's near store: a put reaches the store as the real put action. */
  @SuppressWarnings("unchecked")
  private AsyncCache<String, String> nearOwnAsyncWrites() {
    return nearOwnWrites().unwrap(AsyncCache.class);
  }

  private Cache<String, String> nearOwnWrites() {
    Backend theNearStore = new Backend() {
      @Override
      public String mode() {
        return "redis";
      }

      @Override
      @SuppressWarnings("unchecked")
      public <K, V> Store<K, V> createStore(String cacheName,
          CacheLayerConfiguration<K, V> configuration, EvictionListener<K, V> evictions,
          boolean entriesExpire, boolean readsKeepExpiry) {
        return (Store<K, V>) near;
      }

      @Override
      public Copier copier(CacheLayerConfiguration<?, ?> configuration, boolean readsKeepExpiry) {
        return Copier.IDENTITY;
      }

      @Override
      public boolean storesByReference() {
        return false;
      }

      @Override
      public CacheLayerHealth health() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
    return new CacheLayerCache<>("race", writerManager, new CacheLayerConfiguration<>(),
        theNearStore, Clock.SYSTEM, ForkJoinPool.commonPool(), () -> { });
  }

  private void awaitInvalidationsAbove(long count) {
    await(() -> near.statistics().invalidations() > count, "no invalidation arrived");
  }

  private void awaitFlushesAbove(long count) {
    await(() -> near.statistics().flushes() > count, "the lost connection did not flush");
  }

  private static void await(java.util.function.BooleanSupplier condition, String failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, failure);
      Thread.onSpinWait();
    }
  }

  private static void killNearCacheConnections() {
    for (String line : String.valueOf(redis.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains("name=cachelayer-near-cache")) {
        redis.call("CLIENT", "KILL", "ID", line.substring(3, line.indexOf(' ')));
      }
    }
  }
}
