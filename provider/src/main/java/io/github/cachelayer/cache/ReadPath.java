package io.github.cachelayer.cache;

import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.util.OnceClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * get, getOrLoad and getAll: a plain read where reading cannot change the entry (no atomic step),
 * one bulk read for getAll, an atomic step where an entry expired or must be touched, and a load
 * lease around misses to load so that concurrent misses across JVMs load once.
 */
final class ReadPath<K, V> {
  /** What {@link #plainAnswer} returns when the read needs the atomic step. */
  private static final Object TAKE_STEP = new Object();

  private final OperationContext<K, V> context;
  /** The cache's loader when it reads through, else null: made once, not per read. */
  private final Function<K, V> readThroughLoader;

  ReadPath(OperationContext<K, V> context) {
    this.context = context;
    this.readThroughLoader = context.readThrough == null ? null : context.readThrough::load;
  }

  /** The key's value, copied for the caller, loading a miss when reading through. */
  V get(K key) {
    return read(key, readThroughLoader, false);
  }

  /**
   * The key's value, or on a miss the loader's, kept as a read-through load is. The loaded value
   * is returned even when the expiry policy would not keep it.
   */
  V getOrLoad(K key, Function<? super K, ? extends V> loader) {
    return read(key, loader, true);
  }

  /**
   * {@link #get} for asynchronous callers: where the read alone answers (a live entry, or a miss
   * that is not loaded), the store reads without a thread waiting; everything else (an expired
   * entry, a touch, a load, a read that did not answer) runs {@code get} on {@code executor}.
   *
   * @param get the cache's synchronous get of the key
   */
  CompletableFuture<V> getAsync(K key, Executor executor, Supplier<V> get) {
    return getAsync(key, executor, get, readThroughLoader != null);
  }

  /**
   * {@link #getOrLoad} for asynchronous callers: a hit is read without a thread waiting; a miss
   * (to load under the key's lease) and everything {@link #getAsync} leaves to the step runs
   * {@code getOrLoad} on {@code executor}.
   *
   * @param getOrLoad the cache's synchronous getOrLoad of the key
   */
  CompletableFuture<V> getOrLoadAsync(K key, Executor executor, Supplier<V> getOrLoad) {
    return getAsync(key, executor, getOrLoad, true);
  }

  private CompletableFuture<V> getAsync(K key, Executor executor, Supplier<V> get,
      boolean loads) {
    long start = context.statistics.start();
    CompletableFuture<StoredEntry<V>> read = context.expiry.accessKeepsExpiry()
        ? context.store.readWithoutWaiting(key, executor) : null;
    if (read == null) {
      return CompletableFuture.supplyAsync(get, executor);
    }
    return read.handle((entry, failure) -> failure != null ? TAKE_STEP
            : plainAnswer(entry, loads, start))
        .thenCompose(answer -> {
          if (answer == TAKE_STEP) {
            return CompletableFuture.supplyAsync(get, executor);
          }
          @SuppressWarnings("unchecked")
          V value = (V) answer;
          return CompletableFuture.completedFuture(value);
        });
  }

  /**
   * containsKey for asynchronous callers: the store's read without a thread waiting (whether
   * it holds a live entry changes nothing and counts nothing), else {@code containsKey} on
   * {@code executor}.
   */
  CompletableFuture<Boolean> containsKeyAsync(K key, Executor executor,
      Supplier<Boolean> containsKey) {
    CompletableFuture<StoredEntry<V>> read = context.store.readWithoutWaiting(key, executor);
    if (read == null) {
      return CompletableFuture.supplyAsync(containsKey, executor);
    }
    return read.handle((entry, failure) -> failure != null ? null
            : Boolean.valueOf(entry != null && !entry.isExpired(context.clock)))
        .thenCompose(held -> held != null ? CompletableFuture.completedFuture(held)
            : CompletableFuture.supplyAsync(containsKey, executor));
  }

  /**
   * {@link #getAll} for asynchronous callers: where reads change nothing and nothing is loaded,
   * every key's read is sent without a thread waiting (the link writes concurrent reads of a
   * node together); if any read does not answer, or finds an entry expired (to reclaim and
   * report), {@code getAll} runs on {@code executor} instead, as it would have.
   *
   * @param getAll the cache's synchronous getAll of the keys
   */
  CompletableFuture<Map<K, V>> getAllAsync(Set<? extends K> keys, Executor executor,
      Supplier<Map<K, V>> getAll) {
    if (keys.isEmpty() || context.readThrough != null || !context.expiry.accessKeepsExpiry()) {
      return CompletableFuture.supplyAsync(getAll, executor);
    }
    long start = context.statistics.start();
    List<K> keyList = new ArrayList<>(keys);
    List<CompletableFuture<StoredEntry<V>>> reads = new ArrayList<>(keyList.size());
    for (K key : keyList) {
      CompletableFuture<StoredEntry<V>> read = context.store.readWithoutWaiting(key, executor);
      if (read == null) {
        return CompletableFuture.supplyAsync(getAll, executor);
      }
      reads.add(read);
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .handle((done, failure) -> failure != null ? null : plainAnswers(keyList, reads, start))
        .thenCompose(found -> found != null ? CompletableFuture.completedFuture(found)
            : CompletableFuture.supplyAsync(getAll, executor));
  }

  /**
   * What {@link #readAllAtOnce} answers, recorded, from reads that found no expired entry; null
   * when one did.
   */
  private Map<K, V> plainAnswers(List<K> keyList, List<CompletableFuture<StoredEntry<V>>> reads,
      long start) {
    Clock now = new OnceClock(context.clock);
    Map<K, V> result = new HashMap<>(keyList.size() * 2);
    for (int i = 0; i < keyList.size(); i++) {
      StoredEntry<V> entry = reads.get(i).join();
      if (entry != null) {
        if (entry.isExpired(now)) {
          return null;
        }
        result.put(keyList.get(i), context.copy(entry.value()));
      }
    }
    context.statistics.recordHits(result.size());
    context.statistics.recordMisses(keyList.size() - result.size());
    context.statistics.recordGetTime(start);
    return result;
  }

  /**
   * What a read that found {@code entry} answers without an atomic step, recorded: a read that
   * cannot change the entry's expiry needs none, nor does a miss without a loader. Only an
   * expired entry (to reclaim and report) and a miss to load need the step: {@link #TAKE_STEP}.
   */
  private Object plainAnswer(StoredEntry<V> entry, boolean loads, long start) {
    if (entry == null ? loads : entry.isExpired(context.clock)) {
      return TAKE_STEP;
    }
    context.statistics.recordRead(entry != null, start);
    return entry == null ? null : context.copy(entry.value());
  }

  /**
   * A read that loads a miss when {@code loader} is given. Where the store coordinates loads
   * across JVMs, a miss is loaded under the key's lease and outside the atomic step, so that a
   * retried step cannot call the loader twice.
   */
  private V read(K key, Function<? super K, ? extends V> loader, boolean returnsUnkept) {
    long start = context.statistics.start();
    boolean knownAbsent = false;
    if (context.expiry.accessKeepsExpiry()) {
      StoredEntry<V> entry = context.store.read(key);
      Object answer = plainAnswer(entry, loader != null, start);
      if (answer != TAKE_STEP) {
        @SuppressWarnings("unchecked")
        V value = (V) answer;
        return value;
      }
      knownAbsent = entry == null;
    }
    boolean coordinated = loader != null && context.store.coordinatesLoads();
    Read<K, V> read = coordinated ? new Read<>(context, key, loader).probe()
        : new Read<>(context, key, loader);
    try {
      if (!knownAbsent || !coordinated) {
        V value = context.compute(key, read);
        if (read.loaded) {
          countPut(returnsUnkept, start);
          return value; // the store keeps a copy; the caller gets what the loader returned
        }
        if (!read.wouldLoad) {
          return value == null && returnsUnkept ? read.unkept : context.copy(value);
        }
      }
      // A miss to load: across JVMs, one caller loads while the others wait for its value.
      try (Store.Lease lease = context.store.leaseForLoad(context.copy(key))) {
        read = new Read<>(context, key, loader).probe();
        V value = context.compute(key, read);
        if (!read.wouldLoad) {
          return context.copy(value); // the lease's previous holder stored it
        }
        V loaded = loader.apply(key);
        if (loaded == null) {
          return null;
        }
        StoreLoaded<K, V> keep = new StoreLoaded<>(context, key, loaded, false);
        context.compute(key, keep);
        if (keep.present != null) {
          return context.copy(keep.present); // a writer got there first: its value stands
        }
        if (keep.stored) {
          countPut(returnsUnkept, start);
        }
        return keep.stored || returnsUnkept ? loaded : null;
      }
    } finally {
      context.statistics.recordRead(read.hit, start);
    }
  }

  /**
   * A value from getOrLoad's loader counts as a put, as Spring's caches count the value a
   * cached method returned; a read-through load does not, as the specification says.
   */
  private void countPut(boolean callersLoader, long start) {
    if (callersLoader) {
      context.statistics.recordPutsSince(1, start);
    }
  }

  /**
   * The values of the keys that have one. Synchronous listeners of what it loaded are awaited
   * however it ends (a loader failing for one key must not leave the others' for a later call).
   */
  Map<K, V> getAll(Set<? extends K> keys) {
    Map<K, V> result = new HashMap<>(keys.size() * 2);
    try {
      if (context.readThrough == null && context.expiry.accessKeepsExpiry()) {
        readAllAtOnce(keys, result);
      } else {
        for (K key : keys) {
          V value = get(key);
          if (value != null) {
            result.put(key, value);
          }
        }
      }
    } catch (RuntimeException | Error failure) {
      context.awaitListenersAfter(failure);
      throw failure;
    }
    context.awaitListeners();
    return result;
  }

  /**
   * getAll when reads change nothing: one bulk read (a pipeline per node in Redis), and an
   * atomic step only for the entries found expired, which must be reclaimed and reported.
   */
  private void readAllAtOnce(Set<? extends K> keys, Map<K, V> result) {
    long start = context.statistics.start();
    Map<K, StoredEntry<V>> found = context.store.readAll(keys);
    Clock now = new OnceClock(context.clock);
    int hits = 0;
    int misses = 0;
    for (K key : keys) {
      StoredEntry<V> entry = found.get(key);
      if (entry == null) {
        misses++;
      } else if (!entry.isExpired(now)) {
        hits++;
        result.put(key, context.copy(entry.value()));
      } else {
        V value = get(key);
        if (value != null) {
          result.put(key, value);
        }
      }
    }
    context.statistics.recordHits(hits);
    context.statistics.recordMisses(misses);
    if (hits + misses > 0) {
      context.statistics.recordGetTime(start);
    }
  }
}
