package io.github.cachelayer.redis.outage;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store of a cache whose Redis has not answered since start-up: every operation throws
 * {@link RedisUnavailableException}, for the cache's outage policy to answer. It remembers the
 * keys of the decisions it refused (and whether the cache was to be cleared), because Redis may
 * still hold older values of them from before the restart: the Redis store deletes those first.
 */
public final class NotConnectedStore<K, V> implements Store<K, V> {
  /** Keys remembered at most; past this the whole cache is cleared when Redis answers. */
  static final int MAX_KEYS = 100_000;

  private final String cacheName;
  private final String nodes;
  private final Set<K> unsettled = ConcurrentHashMap.newKeySet();
  private volatile boolean clearAll;

  /** @param nodes the configured Redis nodes, for the message (never a password) */
  public NotConnectedStore(String cacheName, String nodes) {
    this.cacheName = cacheName;
    this.nodes = nodes;
  }

  /** The keys whose writes or removals were refused. */
  public Set<K> unsettledKeys() {
    return unsettled;
  }

  /** Whether the cache must be cleared before use: cleared meanwhile, or too many keys. */
  public boolean mustClearAll() {
    return clearAll;
  }

  private RedisUnavailableException unavailable() {
    return new RedisUnavailableException("Redis (" + nodes + ") has not answered since the "
        + "manager started; cache '" + cacheName + "' cannot reach it", null);
  }

  private void remember(K key) {
    if (unsettled.size() >= MAX_KEYS) {
      clearAll = true;
    } else {
      unsettled.add(key);
    }
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    if (!action.isPlainRead()) {
      remember(key);
    }
    throw unavailable();
  }

  @Override
  public <R> List<R> computeAll(List<? extends K> keys,
      List<? extends EntryAction<V, R>> actions) {
    for (int i = 0; i < keys.size(); i++) {
      if (!actions.get(i).isPlainRead()) {
        remember(keys.get(i));
      }
    }
    throw unavailable();
  }

  @Override
  public StoredEntry<V> peek(K key) {
    throw unavailable();
  }

  @Override
  public StoredEntry<V> read(K key) {
    throw unavailable();
  }

  @Override
  public Iterator<K> keys() {
    throw unavailable();
  }

  @Override
  public void clear() {
    clearAll = true;
    throw unavailable();
  }

  @Override
  public long estimatedSize() {
    throw unavailable();
  }

  @Override
  public Lease leaseForLoad(K key) {
    throw unavailable();
  }

  @Override
  public void close() {}
}
