package io.github.cachelayer.store;

import java.util.Iterator;

/**
 * The storage beneath a cache. The JCache semantics (expiry policy, events, statistics, loaders,
 * writers, entry processors) live once above this interface, in
 * {@link io.github.cachelayer.cache.CacheLayerCache}; a store only keeps entries with absolute
 * expiry times and applies decisions atomically.
 *
 * <p>Contract of each operation:
 * <ul>
 *   <li>{@link #compute}: read one entry, let the action decide, apply the decision, as one atomic
 *       step with respect to every other operation on the same key, in every JVM that shares the
 *       store. The action sees expired entries (so the caller can raise an EXPIRED event); it never
 *       sees another operation's partial result.</li>
 *   <li>{@link #peek}: the live entry for a key, or null when absent or expired; no side effect
 *       (no touch, no reclaim).</li>
 *   <li>{@link #keys}: a weakly consistent snapshot of the keys held, expired ones included, for
 *       iteration and {@code removeAll()}; callers re-check each key through {@link #compute} or
 *       {@link #peek}.</li>
 *   <li>{@link #clear}: removes every entry of this cache and nothing else, with no events.</li>
 *   <li>{@link #estimatedSize}: the number of entries held, expired ones possibly included.</li>
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Store<K, V> {
  <R> R compute(K key, EntryAction<V, R> action);

  StoredEntry<V> peek(K key);

  Iterator<K> keys();

  void clear();

  long estimatedSize();

  /** Releases the store's resources; the data stays where it lives (Redis) or is dropped (local). */
  void close();
}
