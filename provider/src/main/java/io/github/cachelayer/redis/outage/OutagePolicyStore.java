package io.github.cachelayer.redis.outage;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.config.OutagePolicy;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.management.OutageStatus;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoreStatus;
import io.github.cachelayer.store.StoredEntry;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's outage policy around its Redis store: when Redis cannot serve an operation
 * ({@link RedisUnavailableException}), {@code fail} lets the exception through, {@code bypass}
 * answers from a {@link BypassStore}, {@code local} from a node-local store made for the outage.
 * The first operation Redis serves again ends the outage and drops the local store: its data
 * was this node's alone. (The Redis store itself deletes, before serving again, the keys whose
 * writes did not reach it; under any policy.)
 *
 * <p>An operation answered without Redis may have run its decision once already against Redis
 * before Redis failed: a writer can be called again, as after a compare-and-set conflict.
 */
public final class OutagePolicyStore<K, V> implements Store<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(OutagePolicyStore.class);

  private final String cacheName;
  private final OutagePolicy policy;
  private final Store<K, V> redis;
  private final Supplier<Store<K, V>> localStores;
  private final AtomicBoolean inOutage = new AtomicBoolean();
  private final LongAdder answeredWithoutRedis = new LongAdder();
  private final LongAdder redisFailures = new LongAdder();
  private volatile Store<K, V> standIn;
  private static final long QUIET_NANOS = 60_000_000_000L;
  private volatile long lastWarnNanos;

  /** @param localStores makes the node-local store of the {@code local} policy */
  public OutagePolicyStore(String cacheName, OutagePolicy policy, Store<K, V> redis,
      Supplier<Store<K, V>> localStores) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.redis = Objects.requireNonNull(redis, "redis");
    this.localStores = Objects.requireNonNull(localStores, "localStores");
  }

  public OutagePolicy policy() {
    return policy;
  }

  /** Whether the last operation found Redis unavailable (and none since was served by it). */
  public boolean inOutage() {
    return inOutage.get();
  }

  /** Operations Redis could not serve, whatever the policy did then, since the cache opened. */
  public long redisFailures() {
    return redisFailures.sum();
  }

  /** Operations answered by the policy instead of Redis, since the cache opened. */
  public long answeredWithoutRedis() {
    return answeredWithoutRedis.sum();
  }

  @Override
  public Store<K, V> wrapped() {
    return redis;
  }

  @Override
  public StoreStatus status() {
    return redis.status().withOutage(
        new OutageStatus(policy, inOutage(), redisFailures(), answeredWithoutRedis()));
  }

  private <T> T call(Supplier<T> onRedis, Function<Store<K, V>, T> onStandIn) {
    T result;
    try {
      result = onRedis.get();
    } catch (RedisUnavailableException e) {
      return onStandIn.apply(withoutRedis(e));
    }
    if (inOutage.get()) {
      recovered();
    }
    return result;
  }

  /** Redis failed a call: the store that answers instead, or the failure under {@code fail}. */
  private Store<K, V> withoutRedis(RedisUnavailableException failure) {
    redisFailures.increment();
    if (policy == OutagePolicy.FAIL) {
      throw failure;
    }
    Store<K, V> store = outage(failure);
    answeredWithoutRedis.increment();
    return store;
  }

  /**
   * Whether to log this outage's start: at most one WARN a minute, since a Redis that refuses
   * only writes (out of memory) starts and ends an "outage" with every write and read.
   */
  private boolean quietPeriodOver() {
    long now = System.nanoTime();
    long last = lastWarnNanos;
    if (last != 0 && now - last < QUIET_NANOS) {
      return false;
    }
    lastWarnNanos = now;
    return true;
  }

  private Store<K, V> outage(RedisUnavailableException failure) {
    if (inOutage.compareAndSet(false, true) && quietPeriodOver()) {
      LOG.warn("Cache '{}': {}. Until Redis answers, {}", cacheName, failure.getMessage(),
          policy == OutagePolicy.BYPASS ? "reads miss and writes are skipped (on-outage = bypass)"
              : "a node-local store serves it (on-outage = local)");
    }
    Store<K, V> store = standIn;
    if (store == null) {
      synchronized (this) {
        store = standIn;
        if (store == null) {
          store = policy == OutagePolicy.LOCAL ? localStores.get() : new BypassStore<>();
          standIn = store;
        }
      }
    }
    return store;
  }

  private void recovered() {
    if (inOutage.compareAndSet(true, false)) {
      synchronized (this) {
        Store<K, V> store = standIn;
        standIn = null;
        if (store != null) {
          store.close(); // what it kept was this node's alone
        }
      }
      LOG.debug("Cache '{}': Redis answers again and serves the cache", cacheName);
    }
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    return call(() -> redis.compute(key, action), store -> store.compute(key, action));
  }

  @Override
  public <R> List<R> computeAll(List<? extends K> keys,
      List<? extends EntryAction<V, R>> actions) {
    return call(() -> redis.computeAll(keys, actions), store -> store.computeAll(keys, actions));
  }

  @Override
  public StoredEntry<V> peek(K key) {
    return call(() -> redis.peek(key), store -> store.peek(key));
  }

  /** The hottest call (a near cache answers it locally): spelled out, no lambdas to allocate. */
  @Override
  public StoredEntry<V> read(K key) {
    StoredEntry<V> entry;
    try {
      entry = redis.read(key);
    } catch (RedisUnavailableException e) {
      return withoutRedis(e).read(key);
    }
    if (inOutage.get()) {
      recovered();
    }
    return entry;
  }

  /** Only while Redis serves: in an outage {@code read} applies the policy. */
  @Override
  public CompletableFuture<StoredEntry<V>> readWithoutWaiting(K key, Executor executor) {
    return inOutage.get() ? null : redis.readWithoutWaiting(key, executor);
  }

  /**
   * While Redis answers: its attempt. A failure of it is met by the caller's {@link #compute},
   * where the policy applies; in an outage the stand-in answers there.
   */
  @Override
  public <R> CompletableFuture<R> computeWithoutWaiting(K key, EntryAction<V, R> action,
      Executor executor) {
    return inOutage.get() ? null : redis.computeWithoutWaiting(key, action, executor);
  }

  @Override
  public Map<K, StoredEntry<V>> readAll(Collection<? extends K> keys) {
    return call(() -> redis.readAll(keys), store -> store.readAll(keys));
  }

  @Override
  public Iterator<K> keys() {
    return call(redis::keys, Store::keys);
  }

  @Override
  public void clear() {
    call(() -> {
      redis.clear();
      return null;
    }, store -> {
      store.clear();
      return null;
    });
  }

  @Override
  public long estimatedSize() {
    return call(redis::estimatedSize, Store::estimatedSize);
  }

  @Override
  public Lease leaseForLoad(K key) {
    return call(() -> redis.leaseForLoad(key), store -> Lease.NONE);
  }

  @Override
  public boolean coordinatesLoads() {
    return redis.coordinatesLoads();
  }

  @Override
  public void onRemoteEvents(Consumer<List<PendingEvent<K, V>>> sink) {
    redis.onRemoteEvents(sink);
  }

  @Override
  public void localListenersChanged(int count) {
    redis.localListenersChanged(count);
  }

  @Override
  public boolean othersListen() {
    return redis.othersListen();
  }

  @Override
  public void close() {
    try {
      redis.close();
    } finally {
      Store<K, V> store = standIn;
      if (store != null) {
        store.close();
      }
    }
  }

  @Override
  public String toString() {
    return "OutagePolicyStore[" + policy + ", " + redis + "]";
  }
}
