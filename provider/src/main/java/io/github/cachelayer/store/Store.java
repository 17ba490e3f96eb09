package io.github.cachelayer.store;

import io.github.cachelayer.event.PendingEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The storage beneath a cache. The JCache semantics (expiry policy, events, statistics, loaders,
 * writers, entry processors) live once above this interface, in
 * {@link io.github.cachelayer.cache.CacheLayerCache}; a store only keeps entries with absolute
 * expiry times and applies decisions atomically.
 *
 * <p>Contract of each operation ({@code StoreContract} in the tests runs it against every store):
 * <ul>
 *   <li>{@link #compute}: read one entry, let the action decide, apply the decision, as one atomic
 *       step with respect to every other operation on the same key, in every JVM that shares the
 *       store. A shared store shows the action expired entries (so the caller can reclaim them
 *       and raise an EXPIRED event); a local store may drop them itself and report them to its
 *       {@link EvictionListener} instead. The action never sees another operation's partial
 *       result.</li>
 *   <li>{@link #peek}: the live entry for a key, or null when absent or expired; no side effect
 *       (no touch, no reclaim). {@link #read}: the same, but a store that shows expired entries
 *       returns them as they are, so a caller can tell absent (done) from expired (to reclaim
 *       and report).</li>
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

  /** The entry as stored, expired or not, or null when absent. No side effect. */
  StoredEntry<V> read(K key);

  /**
   * {@link #read} started without the caller's thread waiting on a remote store: a future of
   * what {@code read} would return, or null when this store cannot now read without a thread
   * waiting (the caller then calls {@code read} on a thread that may wait). A failure of the
   * future means only that this attempt did not answer: {@code read} is then called, and
   * applies the retries and the outage policy. A local store answers at once; a remote one
   * decodes and completes on {@code executor}, never on the client's I/O threads.
   */
  default CompletableFuture<StoredEntry<V>> readWithoutWaiting(K key, Executor executor) {
    return null;
  }

  /**
   * {@link #compute} started without the caller's thread waiting on a remote store, for a
   * decision the store can run on its server alone: a future of what {@code compute} would
   * return, with the action applied and committed, or null when this store cannot now (the
   * caller then calls {@code compute} on a thread that may wait). The future fails with
   * {@link WaitNeeded} when the attempt did not settle the operation (the caller then calls
   * {@code compute}); any other failure is the operation's own. A remote store completes on
   * {@code executor}, never on the client's I/O threads. Layers that change what
   * {@code compute} does must not pass this through unless they do the same here.
   */
  default <R> CompletableFuture<R> computeWithoutWaiting(K key, EntryAction<V, R> action,
      Executor executor) {
    return null;
  }

  /**
   * {@link #read} for many keys; a remote store sends them together (one round trip per node).
   * The map holds the keys that have an entry.
   */
  default Map<K, StoredEntry<V>> readAll(Collection<? extends K> keys) {
    Map<K, StoredEntry<V>> found = new HashMap<>();
    for (K key : keys) {
      StoredEntry<V> entry = read(key);
      if (entry != null) {
        found.put(key, entry);
      }
    }
    return found;
  }

  /**
   * {@link #compute} for many keys, one action each, in order; a remote store sends the ones it
   * can together (one round trip per node). Each decision is atomic on its own; the batch as a
   * whole is not.
   */
  default <R> List<R> computeAll(List<? extends K> keys,
      List<? extends EntryAction<V, R>> actions) {
    List<R> results = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      results.add(compute(keys.get(i), actions.get(i)));
    }
    return results;
  }

  Iterator<K> keys();

  void clear();

  long estimatedSize();

  /** Releases the store's resources; the data stays where it lives (Redis) or is dropped (local). */
  void close();

  /**
   * Where a shared store delivers the events other JVMs committed, for this JVM's listeners. A
   * local store has no other writers and ignores it.
   */
  default void onRemoteEvents(Consumer<List<PendingEvent<K, V>>> sink) {}

  /**
   * This JVM now has {@code count} listener registrations on the cache: a shared store publishes
   * events only while some JVM listens, and subscribes while this one does.
   */
  default void localListenersChanged(int count) {}

  /** Whether listeners in other JVMs want this cache's events (so operations must record them). */
  default boolean othersListen() {
    return false;
  }

  /**
   * Before a read-through load of {@code key}: a shared store lets one caller across all JVMs
   * load at a time, and makes the others wait until it has written the value (or its lease
   * lapsed), so that concurrent misses call the loader once. Close the lease after the load.
   * A local store needs none: its atomic step already serializes loads of one key.
   */
  default Lease leaseForLoad(K key) {
    return Lease.NONE;
  }

  /** The store this one wraps (a policy, stand-in or near cache around the real one), or null. */
  default Store<K, V> wrapped() {
    return null;
  }

  /**
   * What this store's layers report: a layer that owns a part (outage policy, near cache) adds
   * it to what the store it wraps reports.
   */
  default StoreStatus status() {
    Store<K, V> inner = wrapped();
    return inner == null ? StoreStatus.NONE : inner.status();
  }

  /** Whether {@link #leaseForLoad} coordinates anything (a store shared by several JVMs). */
  default boolean coordinatesLoads() {
    return false;
  }

  /** A held lease; closing it lets the next caller through. */
  interface Lease extends AutoCloseable {
    Lease NONE = () -> { };

    @Override
    void close();
  }
}
