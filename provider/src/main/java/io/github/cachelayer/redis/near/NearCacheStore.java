package io.github.cachelayer.redis.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.management.NearCacheStatistics;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.ForwardingStore;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoreStatus;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.ScriptableAction;
import io.github.cachelayer.util.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A Redis store with a near cache: plain reads ({@link #read}, {@link #peek}, {@link #readAll})
 * are answered from local copies of the entries this JVM read, everything else goes to Redis.
 *
 * <p>Correctness rests on three rules.
 * <ul>
 *   <li>Redis tells: the manager's {@link InvalidationFeed} removes a copy when any client
 *       changes, expires or evicts the key, and flushes all copies when a connection is lost or
 *       a master comes or goes. A copy is served only while the cache's subscription
 *       {@linkplain InvalidationFeed.Subscription#isFresh() is fresh}.</li>
 *   <li>Placeholders: a miss puts a placeholder before it asks Redis, and the answer replaces
 *       the placeholder only if it is still there. An invalidation that arrives before the
 *       answer removed it, so an answer older than a change is never kept. A flush also moves
 *       the epoch on, so an answer to a read begun before a flush is never kept either.</li>
 *   <li>Own writes: a write removes the key's copy before it is sent and again after it ended,
 *       so this JVM reads its own writes at once. A blind write (an unconditional put) instead
 *       keeps the value it wrote, if no invalidation of the key came while it was under way,
 *       and lets its own invalidation, which Redis sends back, pass without dropping it:
 *       invalidations arrive in the order Redis executed the writes, so any change after it
 *       arrives after its own and still removes the copy.</li>
 * </ul>
 */
public final class NearCacheStore<K, V> extends ForwardingStore<K, V>
    implements InvalidationFeed.Target {
  private final Store<K, V> redis;
  /** The cache key a Redis key names (as invalidations name them); throws if it cannot tell. */
  private final Function<String, Object> cacheKeys;
  private final Clock clock;
  /**
   * Per cache key: a {@link Copy}, a {@link Placeholder} of a read under way, or a
   * {@link WriteUnderWay}. Keyed by the cache key rather than its Redis name, so a hit builds
   * no string.
   */
  private final Cache<Object, Object> copies;
  private final ConcurrentMap<Object, Object> map;
  private final Policy<Object, Object> quietly;
  /** A power of two: one lookup in this many is recorded by the eviction policy. */
  static final int RECORDED_ONE_IN = 16;
  private final AtomicLong epoch = new AtomicLong();
  /**
   * How long a copy is served. Checked against the upkeep's tick time rather than by Caffeine's
   * expiry, which reads the clock on every hit.
   */
  private final long ttlNanos;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder flushes = new LongAdder();
  /** Set once, just after construction; volatile so every reading thread sees it. */
  private volatile InvalidationFeed.Subscription feed;

  /** A read of Redis under way for a key; kept only by identity. */
  private static final class Placeholder {
    final long epoch;

    Placeholder(long epoch) {
      this.epoch = epoch;
    }
  }

  /** A blind write of this node's under way: its value is kept only if nothing changed meanwhile. */
  private static final class WriteUnderWay<V> {
    final EntryCommand<V> command;
    final long epoch;
    /** Invalidations of the key while under way; only read and written inside map.compute. */
    int invalidationsSeen;

    WriteUnderWay(EntryCommand<V> command, long epoch) {
      this.command = command;
      this.epoch = epoch;
    }
  }

  /** A local copy: what a read found, or what this node's own blind write wrote. */
  private static final class Copy<V> {
    final StoredEntry<V> entry;
    /** Served until then ({@link InvalidationFeed.Subscription#tickNanos()}): the ttl. */
    final long keptUntilNanos;
    /**
     * An own write's invalidation may still come and pass without removing it; only changed
     * inside map.compute.
     */
    boolean ownInvalidationPending;

    Copy(StoredEntry<V> entry, long keptUntilNanos, boolean ownInvalidationPending) {
      this.entry = entry;
      this.keptUntilNanos = keptUntilNanos;
      this.ownInvalidationPending = ownInvalidationPending;
    }
  }

  /**
   * @param redis the cache's Redis store
   * @param cacheKeys the cache key of a Redis key (invalidations name Redis keys)
   */
  NearCacheStore(Store<K, V> redis, Function<String, Object> cacheKeys, Clock clock,
      NearCacheSettings settings) {
    this.redis = redis;
    this.cacheKeys = cacheKeys;
    this.clock = clock;
    this.copies = Caffeine.newBuilder()
        .maximumSize(settings.maximumSize())
        // Upkeep on the calling thread: on a small machine, handing it to the common pool
        // costs a near hit more (a wake-up per full read buffer) than doing it.
        .executor(Runnable::run)
        .build();
    this.ttlNanos = settings.ttl().toNanos();
    this.map = copies.asMap();
    this.quietly = copies.policy();
  }

  /** Connects the feed that keeps the copies true; before it, nothing is served locally. */
  void feedFrom(InvalidationFeed.Subscription invalidations) {
    this.feed = invalidations;
  }

  /**
   * A live copy at once; without one, null, so that the caller reads through {@link #read},
   * which places what Redis answers against racing invalidations.
   */
  @Override
  public CompletableFuture<StoredEntry<V>> readWithoutWaiting(K key, Executor executor) {
    InvalidationFeed.Subscription current = feed;
    if (current == null || !current.isFresh()) {
      return redis.readWithoutWaiting(key, executor);
    }
    StoredEntry<V> entry = copyIn(lookUp(key), current.tickNanos());
    if (entry == null || entry.isExpired(clock)) {
      return null;
    }
    hits.increment();
    return CompletableFuture.completedFuture(entry);
  }

  @Override
  public StoredEntry<V> read(K key) {
    InvalidationFeed.Subscription current = feed;
    if (current == null || !current.isFresh()) {
      return redis.read(key);
    }
    Object held = lookUp(key);
    StoredEntry<V> entry = copyIn(held, current.tickNanos());
    if (entry != null) {
      if (!entry.isExpired(clock)) {
        hits.increment();
        return entry;
      }
      map.remove(key, held); // Redis reports and reclaims it
      held = null;
    }
    misses.increment();
    Placeholder placeholder = new Placeholder(epoch.get());
    if (held instanceof Copy<?>) {
      map.remove(key, held); // past its ttl
      held = null;
    }
    if (held != null || map.putIfAbsent(key, placeholder) != null) {
      return readThrough(key); // another read of the key is under way: do not race it
    }
    try {
      entry = readThrough(key);
    } catch (RuntimeException e) {
      map.remove(key, placeholder);
      throw e;
    }
    keep(key, placeholder, entry);
    return entry;
  }

  /**
   * The entry a value of the map holds as a copy still within its ttl, or null (a read or write
   * under way, or a copy past its ttl).
   */
  @SuppressWarnings("unchecked")
  private static <V> StoredEntry<V> copyIn(Object held, long now) {
    return held instanceof Copy<?> copy && copy.keptUntilNanos - now > 0
        ? (StoredEntry<V>) copy.entry : null;
  }

  /**
   * The map's value for a key. One lookup in {@value #RECORDED_ONE_IN} tells the eviction policy
   * (Caffeine's frequency sketch and LRU order); the others read quietly. Recording every hit
   * cost about 40% of it; sampled, the policy still sees which keys are hot in proportion.
   */
  private Object lookUp(Object key) {
    return (ThreadLocalRandom.current().nextInt() & (RECORDED_ONE_IN - 1)) == 0
        ? map.get(key) : quietly.getIfPresentQuietly(key);
  }

  /** Replaces the placeholder with what Redis answered, unless something invalidated it. */
  private void keep(Object key, Placeholder placeholder, StoredEntry<V> entry) {
    if (entry == null || entry.isExpired(clock)) {
      map.remove(key, placeholder);
    } else {
      Copy<V> copy = new Copy<>(entry, feed.tickNanos() + ttlNanos, false);
      if (map.replace(key, placeholder, copy) && epoch.get() != placeholder.epoch) {
        map.remove(key, copy); // a flush came between the check and the replace
      }
    }
  }

  private StoredEntry<V> readThrough(K key) {
    try {
      return redis.read(key);
    } catch (RedisUnavailableException e) {
      flush();
      throw e;
    }
  }

  @Override
  public StoredEntry<V> peek(K key) {
    StoredEntry<V> entry = read(key);
    return entry == null || entry.isExpired(clock) ? null : entry;
  }

  @Override
  public Map<K, StoredEntry<V>> readAll(Collection<? extends K> keys) {
    InvalidationFeed.Subscription current = feed;
    if (current == null || !current.isFresh()) {
      return redis.readAll(keys);
    }
    Map<K, StoredEntry<V>> found = new HashMap<>();
    List<K> asked = new ArrayList<>();
    Map<K, Placeholder> placed = new HashMap<>();
    long now = clock.millis();
    for (K key : keys) {
      Object held = lookUp(key);
      StoredEntry<V> copy = copyIn(held, current.tickNanos());
      if (copy != null && !copy.isExpired(now)) {
        hits.increment();
        found.put(key, copy);
        continue;
      }
      if (held instanceof Copy<?>) {
        map.remove(key, held); // expired: Redis reports and reclaims it
        held = null;
      }
      misses.increment();
      asked.add(key);
      Placeholder placeholder = new Placeholder(epoch.get());
      if (held == null && map.putIfAbsent(key, placeholder) == null) {
        placed.put(key, placeholder);
      }
    }
    if (asked.isEmpty()) {
      return found;
    }
    Map<K, StoredEntry<V>> fromRedis;
    try {
      fromRedis = redis.readAll(asked);
    } catch (RuntimeException e) {
      placed.forEach(map::remove);
      if (e instanceof RedisUnavailableException) {
        flush();
      }
      throw e;
    }
    found.putAll(fromRedis);
    placed.forEach((key, placeholder) -> keep(key, placeholder, fromRedis.get(key)));
    return found;
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    if (action.isPlainRead()) {
      return redis.compute(key, action);
    }
    WriteUnderWay<V> write = beforeWrite(key, action);
    boolean done = false;
    try {
      R result = redis.compute(key, action);
      done = true;
      return result;
    } finally {
      afterWrite(key, write, done);
    }
  }

  /**
   * {@link #compute} with no thread waiting: the same steps around Redis's attempt, the copy
   * placed or dropped once it ends (dropped when it did not settle: the caller's
   * {@code compute} then writes again with steps of its own).
   */
  @Override
  public <R> CompletableFuture<R> computeWithoutWaiting(K key, EntryAction<V, R> action,
      Executor executor) {
    if (action.isPlainRead()) {
      return redis.computeWithoutWaiting(key, action, executor);
    }
    WriteUnderWay<V> write = beforeWrite(key, action);
    CompletableFuture<R> attempt = redis.computeWithoutWaiting(key, action, executor);
    if (attempt == null) {
      afterWrite(key, write, false);
      return null;
    }
    return attempt.whenComplete((result, failure) -> afterWrite(key, write, failure == null));
  }

  @Override
  public <R> List<R> computeAll(List<? extends K> keys,
      List<? extends EntryAction<V, R>> actions) {
    List<WriteUnderWay<V>> writes = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      writes.add(actions.get(i).isPlainRead() ? null : beforeWrite(keys.get(i), actions.get(i)));
    }
    boolean done = false;
    try {
      List<R> results = redis.computeAll(keys, actions);
      done = true;
      return results;
    } finally {
      for (int i = 0; i < keys.size(); i++) {
        if (!actions.get(i).isPlainRead()) {
          afterWrite(keys.get(i), writes.get(i), done);
        }
      }
    }
  }

  /**
   * Before a write is sent: the key's copy goes. A blind write (an unconditional put whose
   * outcome does not depend on the entry) leaves a marker instead, so that its value can be kept
   * once Redis acknowledged it; any other write leaves nothing.
   */
  private WriteUnderWay<V> beforeWrite(K key, EntryAction<V, ?> action) {
    EntryCommand<V> command = blindWriteOf(action);
    if (command == null) {
      map.remove(key);
      return null;
    }
    WriteUnderWay<V> write = new WriteUnderWay<>(command, epoch.get());
    map.put(key, write);
    return write;
  }

  /**
   * After a write: a blind write that succeeded keeps its value as the copy unless a change after
   * it may have been announced meanwhile; the copy lets one invalidation pass if its own (which
   * Redis sends to every node) has not come yet. Anything else drops the key's copy, including
   * one a read that raced the write may have kept.
   */
  private void afterWrite(K key, WriteUnderWay<V> write, boolean done) {
    InvalidationFeed.Subscription current = feed;
    if (write == null || !done || current == null) {
      map.remove(key);
      return;
    }
    EntryCommand<V> command = write.command;
    long creation = command.durations().creation();
    long expireAt = creation == EntryCommand.Durations.ETERNAL
        || creation >= StoredEntry.ETERNAL - command.now()
        ? StoredEntry.ETERNAL : command.now() + creation;
    StoredEntry<V> written = new StoredEntry<>(command.value(), expireAt);
    // Seen while under way: none (its own is still to come), one (its own, or a change
    // executed before it, with its own still to come: either way nothing after it), or more
    // (a change after it may be among them: keep nothing).
    Object kept = map.computeIfPresent(key, (k, held) -> held == write
        && write.invalidationsSeen <= 1
        ? new Copy<>(written, current.tickNanos() + ttlNanos, write.invalidationsSeen == 0)
        : null);
    if (kept != null && epoch.get() != write.epoch) {
      map.remove(key, kept); // a flush came while the write was under way
    }
  }

  /** The command of an action that writes the same entry whatever it finds, or null. */
  @SuppressWarnings("unchecked")
  private static <V> EntryCommand<V> blindWriteOf(EntryAction<V, ?> action) {
    if (action instanceof ScriptableAction<?> scriptable) {
      EntryCommand<V> command = ((ScriptableAction<V>) scriptable).command();
      return command != null && command.isBlindWrite() ? command : null;
    }
    return null;
  }

  @Override
  public void invalidate(String redisKey) {
    Object key;
    try {
      key = cacheKeys.apply(redisKey);
    } catch (RuntimeException undecodable) {
      flush(); // a key we cannot name: drop everything rather than keep a copy of it
      invalidations.increment();
      return;
    }
    map.computeIfPresent(key, (k, held) -> afterInvalidation(held));
    // Counted once applied: whoever sees the count has its effect (tests wait on it).
    invalidations.increment();
  }

  /**
   * What stays of a key's entry when Redis says it changed. Invalidations arrive in the order
   * Redis executed the writes. A write of this node's under way notes it (it will not keep its
   * value: the change may be another node's, after it). A copy this node wrote, whose own
   * invalidation has not come yet, stays: whatever this invalidation is of was executed no
   * later than that write. Everything else goes.
   */
  private Object afterInvalidation(Object held) {
    if (held instanceof WriteUnderWay<?> write) {
      write.invalidationsSeen++;
      return write;
    }
    if (held instanceof Copy<?> copy && copy.ownInvalidationPending) {
      copy.ownInvalidationPending = false;
      return copy;
    }
    return null;
  }

  @Override
  public void flush() {
    epoch.incrementAndGet();
    copies.invalidateAll();
    flushes.increment();
  }

  @Override
  public StoreStatus status() {
    return super.status().withNearCache(statistics());
  }

  /** What the near cache did since the cache was created. */
  public NearCacheStatistics statistics() {
    InvalidationFeed.Subscription current = feed;
    return new NearCacheStatistics(hits.sum(), misses.sum(), invalidations.sum(), flushes.sum(),
        copies.estimatedSize(), current != null && current.isFresh());
  }

  @Override
  public void clear() {
    try {
      redis.clear();
    } finally {
      flush();
    }
  }

  @Override
  public void close() {
    InvalidationFeed.Subscription current = feed;
    if (current != null) {
      current.close();
    }
    flush();
    redis.close();
  }

  @Override
  protected Store<K, V> delegate() {
    return redis;
  }

  @Override
  public String toString() {
    return "NearCacheStore[" + redis + "]";
  }
}
