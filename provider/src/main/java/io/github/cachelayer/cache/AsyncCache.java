package io.github.cachelayer.cache;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A CacheLayer cache's operations returning {@link CompletableFuture}, reached by
 * {@code cache.unwrap(AsyncCache.class)}. Each operation has exactly the semantics of the
 * synchronous one of the same name (expiry, listeners, statistics, loaders, writers, the outage
 * policy, the near cache): it runs the same code.
 *
 * <ul>
 *   <li>A local cache (fallback mode) runs each call at once on the caller's thread and returns a
 *       completed future.
 *   <li>In Redis mode, {@link #get} reads without any thread waiting where the read alone answers
 *       (a near-cache hit answers at once; otherwise one GET whose answer is decoded on
 *       {@link #executor()}). Every other operation, and a get that must reclaim, touch, load or
 *       retry, runs on {@link #executor()}: a virtual thread per call on Java 21 and later; on
 *       Java 17-20 up to 64 daemon threads {@code cachelayer-async-N}, the calls beyond them
 *       queued. Loaders, writers, entry processors and synchronous listeners run there, never on
 *       the Redis client's I/O threads, and so do the futures' dependent stages unless given
 *       another executor.
 * </ul>
 *
 * A null key or value and a closed cache throw at once ({@code NullPointerException},
 * {@code IllegalStateException}); every other failure completes the future exceptionally with
 * what the synchronous operation throws.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AsyncCache<K, V> {
  CompletableFuture<V> get(K key);

  CompletableFuture<Map<K, V>> getAll(Set<? extends K> keys);

  CompletableFuture<Boolean> containsKey(K key);

  /** {@link CacheLayerCache#getOrLoad}: the loader runs on {@link #executor()} in Redis mode. */
  CompletableFuture<V> getOrLoad(K key, Function<? super K, ? extends V> loader);

  CompletableFuture<Void> put(K key, V value);

  CompletableFuture<V> getAndPut(K key, V value);

  CompletableFuture<Void> putAll(Map<? extends K, ? extends V> map);

  CompletableFuture<Boolean> putIfAbsent(K key, V value);

  CompletableFuture<Boolean> remove(K key);

  CompletableFuture<Boolean> remove(K key, V oldValue);

  CompletableFuture<V> getAndRemove(K key);

  CompletableFuture<Boolean> replace(K key, V oldValue, V newValue);

  CompletableFuture<Boolean> replace(K key, V value);

  CompletableFuture<V> getAndReplace(K key, V value);

  CompletableFuture<Void> removeAll(Set<? extends K> keys);

  CompletableFuture<Void> removeAll();

  CompletableFuture<Void> clear();

  <T> CompletableFuture<T> invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments);

  <T> CompletableFuture<Map<K, EntryProcessorResult<T>>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments);

  /** The synchronous cache this is a view of. */
  Cache<K, V> synchronous();

  /** Where operations that may wait for Redis run, and their futures complete. */
  Executor executor();
}
