package io.github.cachelayer.store.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Redis store with a near cache: plain reads ({@link #read}, {@link #peek}, {@link #readAll})
 * are answered from local copies of the entries this JVM read, everything else goes to Redis.
 *
 * <p>Correctness rests on three rules.
 * <ul>
 *   <li>Redis tells: an {@link InvalidationFeed} removes a copy when any client changes, expires
 *       or evicts the key, and flushes all copies when its connection is lost or replaced. A
 *       copy is served only while the feed {@linkplain InvalidationFeed#isFresh() is fresh}.</li>
 *   <li>Placeholders: a miss puts a placeholder before it asks Redis, and the answer replaces
 *       the placeholder only if it is still there. An invalidation that arrives before the
 *       answer removed it, so an answer older than a change is never kept. A flush also moves
 *       the epoch on, so an answer to a read begun before a flush is never kept either.</li>
 *   <li>Own writes: every write removes the key's copy before it is sent and again after it
 *       ended, so this JVM reads its own writes at once, even before Redis's invalidation of
 *       them comes back.</li>
 * </ul>
 */
public final class NearCacheStore<K, V> implements Store<K, V>, InvalidationFeed.Target {
  private final Store<K, V> redis;
  /** The cache key a Redis key names (as invalidations name them); throws if it cannot tell. */
  private final Function<String, Object> cacheKeys;
  private final Clock clock;
  /**
   * Per cache key: a {@link StoredEntry} copy, or a {@link Placeholder} of a read under way.
   * Keyed by the cache key rather than its Redis name, so a hit builds no string.
   */
  private final Cache<Object, Object> copies;
  private final ConcurrentMap<Object, Object> map;
  private final AtomicLong epoch = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder flushes = new LongAdder();
  private InvalidationFeed feed;

  /** A read of Redis under way for a key; kept only by identity. */
  private static final class Placeholder {
    final long epoch;

    Placeholder(long epoch) {
      this.epoch = epoch;
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
        .expireAfterWrite(settings.ttl())
        .executor(Runnable::run)
        .build();
    this.map = copies.asMap();
  }

  /** Connects the feed that keeps the copies true; before it, nothing is served locally. */
  void feedFrom(InvalidationFeed invalidations) {
    this.feed = invalidations;
  }

  @Override
  public StoredEntry<V> read(K key) {
    InvalidationFeed current = feed;
    if (current == null || !current.isFresh()) {
      return redis.read(key);
    }
    Object held = map.get(key);
    if (held instanceof StoredEntry<?> copy) {
      @SuppressWarnings("unchecked")
      StoredEntry<V> entry = (StoredEntry<V>) copy;
      if (!entry.isExpired(clock)) {
        hits.increment();
        return entry;
      }
      map.remove(key, entry); // Redis reports and reclaims it
      held = null;
    }
    misses.increment();
    Placeholder placeholder = new Placeholder(epoch.get());
    if (held != null || map.putIfAbsent(key, placeholder) != null) {
      return readThrough(key); // another read of the key is under way: do not race it
    }
    StoredEntry<V> entry;
    try {
      entry = readThrough(key);
    } catch (RuntimeException e) {
      map.remove(key, placeholder);
      throw e;
    }
    keep(key, placeholder, entry);
    return entry;
  }

  /** Replaces the placeholder with what Redis answered, unless something invalidated it. */
  private void keep(Object key, Placeholder placeholder, StoredEntry<V> entry) {
    if (entry == null || entry.isExpired(clock)) {
      map.remove(key, placeholder);
    } else if (map.replace(key, placeholder, entry) && epoch.get() != placeholder.epoch) {
      map.remove(key, entry); // a flush came between the check and the replace
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
    InvalidationFeed current = feed;
    if (current == null || !current.isFresh()) {
      return redis.readAll(keys);
    }
    Map<K, StoredEntry<V>> found = new HashMap<>();
    List<K> asked = new ArrayList<>();
    Map<K, Placeholder> placed = new HashMap<>();
    long now = clock.millis();
    for (K key : keys) {
      Object held = map.get(key);
      if (held instanceof StoredEntry<?> copy && !copy.isExpired(now)) {
        @SuppressWarnings("unchecked")
        StoredEntry<V> entry = (StoredEntry<V>) copy;
        hits.increment();
        found.put(key, entry);
        continue;
      }
      if (held instanceof StoredEntry<?>) {
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
    map.remove(key);
    try {
      return redis.compute(key, action);
    } finally {
      map.remove(key); // a read that raced the write may have kept the old value
    }
  }

  @Override
  public <R> List<R> computeAll(List<? extends K> keys,
      List<? extends EntryAction<V, R>> actions) {
    List<K> written = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      if (!actions.get(i).isPlainRead()) {
        written.add(keys.get(i));
      }
    }
    written.forEach(map::remove);
    try {
      return redis.computeAll(keys, actions);
    } finally {
      written.forEach(map::remove);
    }
  }

  @Override
  public void invalidate(List<?> redisKeys) {
    for (Object redisKey : redisKeys) {
      if (redisKey == null) {
        continue;
      }
      Object key;
      try {
        key = cacheKeys.apply(redisKey.toString());
      } catch (RuntimeException undecodable) {
        flush(); // a key we cannot name: drop everything rather than keep a copy of it
        return;
      }
      map.remove(key);
    }
    invalidations.add(redisKeys.size());
  }

  @Override
  public void flush() {
    epoch.incrementAndGet();
    copies.invalidateAll();
    flushes.increment();
  }

  /** What the near cache did since the cache was created. */
  public NearCacheStatistics statistics() {
    InvalidationFeed current = feed;
    return new NearCacheStatistics(hits.sum(), misses.sum(), invalidations.sum(), flushes.sum(),
        copies.estimatedSize(), current != null && current.isFresh());
  }

  @Override
  public Iterator<K> keys() {
    return redis.keys();
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
  public long estimatedSize() {
    return redis.estimatedSize();
  }

  @Override
  public void close() {
    InvalidationFeed current = feed;
    if (current != null) {
      current.close();
    }
    flush();
    redis.close();
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
  public Lease leaseForLoad(K key) {
    return redis.leaseForLoad(key);
  }

  @Override
  public boolean coordinatesLoads() {
    return redis.coordinatesLoads();
  }

  @Override
  public Store<K, V> wrapped() {
    return redis;
  }

  @Override
  public String toString() {
    return "NearCacheStore[" + redis + "]";
  }
}
