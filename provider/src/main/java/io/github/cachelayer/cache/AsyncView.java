package io.github.cachelayer.cache;

import static java.util.Objects.requireNonNull;

import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.WaitNeeded;
import io.github.cachelayer.util.Futures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * {@link AsyncCache} over a {@link CacheLayerCache}: each operation is the synchronous one, run
 * at once where the store answers without the network, else on the executor. Get (and
 * getOrLoad's hits), getAll, containsKey, invoke and the single-key writes and removals have
 * paths where no thread waits ({@link ReadPath#getAsync}, {@link SingleWrite#runWithoutWaiting}):
 * the same decisions, sent by the store without a thread waiting, falling back to the
 * synchronous operation wherever that does not answer. putAll, removeAll of keys and invokeAll
 * run as those, key by key, unless a writer takes their entries together.
 */
final class AsyncView<K, V> implements AsyncCache<K, V> {
  private final CacheLayerCache<K, V> cache;
  private final ReadPath<K, V> reads;
  private final Store<K, V> store;
  private final Executor executor;

  AsyncView(CacheLayerCache<K, V> cache, ReadPath<K, V> reads, Store<K, V> store,
      Executor executor) {
    this.cache = cache;
    this.reads = reads;
    this.store = store;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<V> get(K key) {
    checkKey(key);
    Supplier<V> get = () -> cache.get(key);
    return mayWait() ? reads.getAsync(key, executor, get) : now(get);
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Set<? extends K> keys) {
    cache.requireOpen();
    Arguments.requireNoNullKeys(keys);
    Supplier<Map<K, V>> getAll = () -> cache.getAll(keys);
    return mayWait() ? reads.getAllAsync(keys, executor, getAll) : now(getAll);
  }

  @Override
  public CompletableFuture<Boolean> containsKey(K key) {
    checkKey(key);
    Supplier<Boolean> containsKey = () -> cache.containsKey(key);
    return mayWait() ? reads.containsKeyAsync(key, executor, containsKey) : now(containsKey);
  }

  @Override
  public CompletableFuture<V> getOrLoad(K key, Function<? super K, ? extends V> loader) {
    checkKey(key);
    requireNonNull(loader, "loader");
    Supplier<V> getOrLoad = () -> cache.getOrLoad(key, loader);
    return mayWait() ? reads.getOrLoadAsync(key, executor, getOrLoad) : now(getOrLoad);
  }

  @Override
  public CompletableFuture<Void> put(K key, V value) {
    checkKeyValue(key, value);
    return write(() -> cache.putWrite(key, value, false), previous -> null);
  }

  @Override
  public CompletableFuture<V> getAndPut(K key, V value) {
    checkKeyValue(key, value);
    return write(() -> cache.putWrite(key, value, true), cache::copy);
  }

  @Override
  public CompletableFuture<Void> putAll(Map<? extends K, ? extends V> map) {
    cache.requireOpen();
    requireNonNull(map, "map");
    map.forEach((key, value) -> {
      requireNonNull(key, "map contains a null key");
      requireNonNull(value, "map contains a null value");
    });
    if (!mayWait() || cache.writesThrough()) {
      return run(() -> {
        cache.putAll(map);
        return null;
      });
    }
    try {
      cache.checkEntries(map);
    } catch (RuntimeException invalid) {
      return CompletableFuture.failedFuture(invalid); // as the synchronous putAll's, in the future
    }
    List<CompletableFuture<?>> puts = new ArrayList<>(map.size());
    map.forEach((key, value) -> puts.add(write(() -> cache.putWrite(key, value, false),
        previous -> null)));
    return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(K key, V value) {
    checkKeyValue(key, value);
    return write(() -> cache.putIfAbsentWrite(key, value), created -> created);
  }

  @Override
  public CompletableFuture<Boolean> remove(K key) {
    checkKey(key);
    return write(() -> cache.removeWrite(key, false), previous -> previous != null);
  }

  @Override
  public CompletableFuture<Boolean> remove(K key, V oldValue) {
    checkKeyValue(key, oldValue);
    return write(() -> cache.removeIfEqualWrite(key, oldValue), removed -> removed);
  }

  @Override
  public CompletableFuture<V> getAndRemove(K key) {
    checkKey(key);
    return write(() -> cache.removeWrite(key, true), cache::copy);
  }

  @Override
  public CompletableFuture<Boolean> replace(K key, V oldValue, V newValue) {
    checkKeyValue(key, oldValue);
    requireNonNull(newValue, "newValue");
    return write(() -> cache.replaceIfEqualWrite(key, oldValue, newValue), replaced -> replaced);
  }

  @Override
  public CompletableFuture<Boolean> replace(K key, V value) {
    checkKeyValue(key, value);
    return write(() -> cache.replaceWrite(key, value, false), previous -> previous != null);
  }

  @Override
  public CompletableFuture<V> getAndReplace(K key, V value) {
    checkKeyValue(key, value);
    return write(() -> cache.replaceWrite(key, value, true), cache::copy);
  }

  @Override
  public CompletableFuture<Void> removeAll(Set<? extends K> keys) {
    cache.requireOpen();
    Arguments.requireNoNullKeys(keys);
    if (!mayWait() || cache.writesThrough()) {
      return run(() -> {
        cache.removeAll(keys);
        return null;
      });
    }
    List<CompletableFuture<?>> removals = new ArrayList<>(keys.size());
    for (K key : new LinkedHashSet<>(keys)) {
      removals.add(write(() -> cache.removeWrite(key, false), previous -> null));
    }
    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletableFuture<Void> removeAll() {
    cache.requireOpen();
    return run(() -> {
      cache.removeAll();
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> clear() {
    cache.requireOpen();
    return run(() -> {
      cache.clear();
      return null;
    });
  }

  @Override
  public <T> CompletableFuture<T> invoke(K key, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    checkKey(key);
    requireNonNull(processor, "processor");
    return write(() -> cache.invokeWrite(key, processor, arguments), result -> result);
  }

  @Override
  public <T> CompletableFuture<Map<K, EntryProcessorResult<T>>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    cache.requireOpen();
    Arguments.requireNoNullKeys(keys);
    requireNonNull(processor, "processor");
    if (!mayWait()) {
      return run(() -> cache.invokeAll(keys, processor, arguments));
    }
    Map<K, CompletableFuture<T>> invocations = new LinkedHashMap<>();
    for (K key : keys) {
      invocations.put(key, write(() -> cache.invokeWrite(key, processor, arguments),
          result -> result));
    }
    return CompletableFuture.allOf(invocations.values().toArray(CompletableFuture[]::new))
        .handle((done, failure) -> ProcessorResults.ofEnded(invocations));
  }

  @Override
  public Cache<K, V> synchronous() {
    return cache;
  }

  @Override
  public Executor executor() {
    return executor;
  }

  /**
   * Whether calls may wait on the network: a store that coordinates loads across JVMs is a
   * shared, remote one. Asked per call, since a cache's store changes once Redis connects.
   */
  private boolean mayWait() {
    return store.coordinatesLoads();
  }

  /**
   * A single-key write or removal: started with no thread waiting where the store can, else
   * (or when that attempt did not settle it) the synchronous operation on the executor.
   */
  private <R, T> CompletableFuture<T> write(Supplier<SingleWrite<K, V, R>> plan,
      Function<R, T> answer) {
    Supplier<T> waiting = () -> answer.apply(plan.get().run());
    if (!mayWait()) {
      return now(waiting);
    }
    CompletableFuture<R> started;
    try {
      started = plan.get().runWithoutWaiting(executor);
    } catch (RuntimeException refused) {
      // A wrong type, a value the codec refuses: the operation's failure, in the future as the
      // synchronous operation run on the executor gives it.
      started = null;
    }
    if (started == null) {
      return CompletableFuture.supplyAsync(waiting, executor);
    }
    return started.handle((result, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(answer.apply(result));
      }
      Throwable cause = Futures.cause(failure);
      return cause instanceof WaitNeeded ? CompletableFuture.supplyAsync(waiting, executor)
          : CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(next -> next);
  }

  private <T> CompletableFuture<T> run(Supplier<T> operation) {
    return mayWait() ? CompletableFuture.supplyAsync(operation, executor) : now(operation);
  }

  /** A local store answers at once: the operation runs on the caller's thread. */
  private static <T> CompletableFuture<T> now(Supplier<T> operation) {
    try {
      return CompletableFuture.completedFuture(operation.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void checkKey(K key) {
    cache.requireOpen();
    requireNonNull(key, "key");
  }

  private void checkKeyValue(K key, V value) {
    checkKey(key);
    requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "AsyncCache[" + cache.getName() + "]";
  }
}
