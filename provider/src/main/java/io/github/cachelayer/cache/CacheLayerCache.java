package io.github.cachelayer.cache;

import static java.util.Objects.requireNonNull;

import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.event.EventDispatcher;
import io.github.cachelayer.event.EventSource;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.management.CacheConfigurationBean;
import io.github.cachelayer.management.CacheStatistics;
import io.github.cachelayer.management.JmxRegistration;
import io.github.cachelayer.management.JmxRegistration.MBeanType;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.EntryCommand;
import io.github.cachelayer.store.EntryCommand.Condition;
import io.github.cachelayer.store.EntryCommand.Effect;
import io.github.cachelayer.store.ScriptableAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.util.OnceClock;
import io.github.cachelayer.util.Closeables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.management.ObjectName;

/**
 * The JCache semantics, written once above a {@link Store}: expiry-policy calls, entry events,
 * read-through and write-through, entry processors, statistics and store-by-value copies.
 *
 * <p>Every single-key operation is one {@link Store#compute} call: the store shows the entry, an
 * {@link Op} decides (calling the writer, the loader and the expiry policy exactly as the
 * specification says, and recording events), the store applies the decision atomically. Events are
 * published when the store commits, synchronous listeners are awaited before the call returns, and
 * statistics are recorded before it returns, so they are exact at every moment.
 */
public final class CacheLayerCache<K, V> implements Cache<K, V> {
  private final String name;
  private final CacheManager manager;
  private final CacheLayerConfiguration<K, V> configuration;
  private final Store<K, V> store;
  private final Copier copier;
  private final Clock clock;
  private final Executor executor;
  private final ExpiryTimes expiry;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;
  private final EventDispatcher<K, V> dispatcher;
  private final CacheStatistics statistics = new CacheStatistics();
  private final CacheConfigurationBean configurationBean;
  private final ObjectName configurationName;
  private final ObjectName statisticsName;
  private final Runnable onClose;
  private volatile boolean closed;

  /**
   * @param configuration this cache's own copy of its configuration
   * @param store where the entries live (see {@link StoreFactory})
   * @param copier store-by-value copies, or {@link Copier#IDENTITY}
   * @param onClose tells the manager the cache is gone
   */
  public CacheLayerCache(String name, CacheManager manager,
      CacheLayerConfiguration<K, V> configuration, StoreFactory<K, V> store, Copier copier,
      Clock clock, Executor executor, Runnable onClose) {
    this.name = requireNonNull(name, "name");
    this.manager = requireNonNull(manager, "manager");
    this.configuration = requireNonNull(configuration, "configuration");
    this.copier = requireNonNull(copier, "copier");
    this.clock = requireNonNull(clock, "clock");
    this.executor = requireNonNull(executor, "executor");
    this.onClose = requireNonNull(onClose, "onClose");
    this.expiry = new ExpiryTimes(requireNonNull(
        configuration.getExpiryPolicyFactory().create(), "the expiry policy factory returned null"));
    this.loader = configuration.getCacheLoaderFactory() == null ? null
        : configuration.getCacheLoaderFactory().create();
    this.writer = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
        ? writerOf(configuration) : null;
    this.dispatcher = new EventDispatcher<>(executor);
    for (CacheEntryListenerConfiguration<K, V> listener
        : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.store = store.create(this::onEviction, expiry.entriesExpire());
    this.store.onRemoteEvents(events -> dispatcher.publishRemote(this, events));
    this.store.localListenersChanged(dispatcher.registrationCount());
    this.configurationBean = new CacheConfigurationBean(() -> this.configuration);
    this.configurationName = JmxRegistration.objectName(manager.getURI(), name, MBeanType.CONFIGURATION);
    this.statisticsName = JmxRegistration.objectName(manager.getURI(), name, MBeanType.STATISTICS);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  /** A writer of supertypes of K and V accepts K and V: the cast only narrows what we pass it. */
  @SuppressWarnings("unchecked")
  private static <K, V> CacheWriter<K, V> writerOf(CacheLayerConfiguration<K, V> configuration) {
    return (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
  }

  /** Builds the store once the cache can receive its eviction callbacks. */
  @FunctionalInterface
  public interface StoreFactory<K, V> {
    /** @param entriesExpire false when the expiry policy is eternal: no entry ever expires */
    Store<K, V> create(io.github.cachelayer.store.EvictionListener<K, V> evictions,
        boolean entriesExpire);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireOpen();
    requireNonNull(key, "key");
    V value = getValue(key, isReadThrough());
    dispatcher.awaitSynchronous();
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireNoNullKeys(keys);
    Map<K, V> result = new HashMap<>(keys.size() * 2);
    boolean readThrough = isReadThrough();
    if (!readThrough && expiry.accessKeepsExpiry()) {
      readAllAtOnce(keys, result);
    } else {
      for (K key : keys) {
        V value = getValue(key, readThrough);
        if (value != null) {
          result.put(key, value);
        }
      }
    }
    dispatcher.awaitSynchronous();
    return result;
  }

  /**
   * getAll when reads change nothing: one bulk read (a pipeline per node in Redis), and an
   * atomic step only for the entries found expired, which must be reclaimed and reported.
   */
  private void readAllAtOnce(Set<? extends K> keys, Map<K, V> result) {
    long start = statistics.start();
    Map<K, StoredEntry<V>> found = store.readAll(keys);
    Clock now = new OnceClock(clock);
    int hits = 0;
    int misses = 0;
    for (K key : keys) {
      StoredEntry<V> entry = found.get(key);
      if (entry == null) {
        misses++;
      } else if (!entry.isExpired(now)) {
        hits++;
        result.put(key, copier.copy(entry.value()));
      } else {
        V value = getValue(key, false);
        if (value != null) {
          result.put(key, value);
        }
      }
    }
    statistics.recordHits(hits);
    statistics.recordMisses(misses);
    if (hits + misses > 0) {
      statistics.recordGetTime(start);
    }
  }

  private V getValue(K key, boolean readThrough) {
    long start = statistics.start();
    boolean knownAbsent = false;
    if (expiry.accessKeepsExpiry()) {
      // A read that cannot change the entry's expiry needs no atomic step, nor does a miss
      // without read-through; only an expired entry must be reclaimed and reported.
      StoredEntry<V> entry = store.read(key);
      boolean expired = entry != null && entry.isExpired(clock);
      if (!expired && (entry != null || !readThrough)) {
        recordRead(entry != null, start);
        return entry == null ? null : copier.copy(entry.value());
      }
      knownAbsent = entry == null;
    }
    boolean coordinated = readThrough && store.coordinatesLoads();
    Read read = coordinated ? new Read(key, true).probe() : new Read(key, readThrough);
    try {
      if (!knownAbsent || !coordinated) {
        V value = compute(key, read);
        if (!read.wouldLoad) {
          return read.loaded ? value : copier.copy(value);
        }
      }
      // A miss to load: across JVMs, one caller loads while the others wait for its value.
      try (Store.Lease lease = store.leaseForLoad(copier.copy(key))) {
        read = new Read(key, true);
        V value = compute(key, read);
        return read.loaded ? value : copier.copy(value);
      }
    } finally {
      recordRead(read.hit, start);
    }
  }

  /** A read: touches a hit with the access expiry, loads a miss when reading through. */
  private final class Read extends Op<V> {
    final boolean readThrough;
    boolean loaded;
    /** Set by a first look that found nothing to return and would have to call the loader. */
    boolean wouldLoad;
    private boolean probeOnly;

    Read(K key, boolean readThrough) {
      super(key);
      this.readThrough = readThrough;
    }

    /**
     * A read that stops short of loading, for stores that coordinate loads across JVMs: it
     * reports a miss through {@link #wouldLoad} instead of calling the loader.
     */
    Read probe() {
      probeOnly = true;
      return this;
    }

    @Override
    public EntryCommand<V> command() {
      return readThrough ? null : command(Condition.PRESENT, Effect.TOUCH, null, null, true, false);
    }

    @Override
    public boolean isPlainRead() {
      return !readThrough;
    }

    @Override
    V run(StoredEntry<V> live, Mutation<V> mutation) {
      loaded = false;
      if (live != null) {
        hit = true;
        touchOnAccess(live, mutation);
        return live.value();
      }
      if (!readThrough) {
        return null;
      }
      if (probeOnly) {
        wouldLoad = true;
        return null;
      }
      V value = load(key);
      if (value == null) {
        return null;
      }
      if (!storeNew(copier.copy(value), value, mutation)) {
        return null;
      }
      loaded = true;
      return value;
    }
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    requireNonNull(key, "key");
    return store.peek(key) != null;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics.start();
    Put put = new Put(key, copier.copy(value), value, true, false);
    compute(key, put);
    recordPuts(put.puts, start);
    dispatcher.awaitSynchronous();
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics.start();
    Put put = new Put(key, copier.copy(value), value, true, true);
    V previous = compute(key, put);
    recordRead(previous != null, start);
    recordPuts(put.puts, start);
    dispatcher.awaitSynchronous();
    return copier.copy(previous);
  }

  /** An unconditional put: creates or updates; answers the previous live value. */
  private final class Put extends Op<V> {
    final V stored;
    final V given;
    final boolean callWriter;
    final boolean returnsPrevious;

    /**
     * @param callWriter false when the writer already wrote the entry (putAll's batch)
     * @param returnsPrevious whether the caller uses the previous value (getAndPut)
     */
    Put(K key, V stored, V given, boolean callWriter, boolean returnsPrevious) {
      super(key);
      this.stored = stored;
      this.given = given;
      this.callWriter = callWriter;
      this.returnsPrevious = returnsPrevious;
    }

    @Override
    public EntryCommand<V> command() {
      return command(Condition.ALWAYS, Effect.WRITE, stored, null, returnsPrevious, callWriter);
    }

    @Override
    V run(StoredEntry<V> live, Mutation<V> mutation) {
      if (callWriter) {
        writeThrough(key, given);
      }
      if (live == null) {
        create(stored, given, mutation);
        return null;
      }
      update(live, stored, given, mutation);
      return live.value();
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics.start();
    V stored = copier.copy(value);
    Op<Boolean> op = new Op<>(key) {
      @Override
      public EntryCommand<V> command() {
        return command(Condition.ABSENT, Effect.WRITE, stored, null, false, true);
      }

      @Override
      Boolean run(StoredEntry<V> live, Mutation<V> mutation) {
        if (live != null) {
          hit = true;
          return false;
        }
        writeThrough(key, value);
        return create(stored, value, mutation);
      }
    };
    boolean created = compute(key, op);
    if (created) {
      statistics.recordMisses(1);
      recordPuts(1, start);
    } else {
      statistics.recordHits(1);
    }
    dispatcher.awaitSynchronous();
    return created;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      checkKeyValue(entry.getKey(), entry.getValue());
    }
    long start = statistics.start();
    Map<? extends K, ? extends V> toStore = map;
    CacheWriterException failure = null;
    if (writer != null) {
      List<Cache.Entry<? extends K, ? extends V>> unwritten = new ArrayList<>(map.size());
      map.forEach((k, v) -> unwritten.add(new CacheEntry<>(k, v)));
      try {
        writer.writeAll(unwritten);
        unwritten.clear();
      } catch (RuntimeException e) {
        failure = asWriterException(e);
      }
      // The writer leaves only what it failed to write; those are not cached.
      Map<K, V> written = new HashMap<>(map);
      unwritten.forEach(entry -> written.remove(entry.getKey()));
      toStore = written;
    }
    List<K> keys = new ArrayList<>(toStore.size());
    List<Put> puts = new ArrayList<>(toStore.size());
    for (Map.Entry<? extends K, ? extends V> entry : toStore.entrySet()) {
      keys.add(entry.getKey());
      puts.add(new Put(entry.getKey(), copier.copy(entry.getValue()), entry.getValue(), false,
          false));
    }
    computeAll(keys, puts);
    int stored = 0;
    for (Put put : puts) {
      stored += put.puts;
    }
    recordPuts(stored, start);
    dispatcher.awaitSynchronous();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    checkKeyValue(key, newValue);
    requireNonNull(oldValue, "oldValue");
    long start = statistics.start();
    V stored = copier.copy(newValue);
    Op<Boolean> op = new Op<>(key) {
      @Override
      public EntryCommand<V> command() {
        return command(Condition.EQUALS, Effect.WRITE, stored, oldValue, true, true);
      }

      @Override
      Boolean run(StoredEntry<V> live, Mutation<V> mutation) {
        if (live == null) {
          return false;
        }
        hit = true;
        if (!live.value().equals(oldValue)) {
          touchOnAccess(live, mutation);
          return false;
        }
        writeThrough(key, newValue);
        update(live, stored, newValue, mutation);
        return true;
      }
    };
    boolean replaced = compute(key, op);
    recordRead(op.hit, start);
    recordPuts(op.puts, start);
    dispatcher.awaitSynchronous();
    return replaced;
  }

  @Override
  public boolean replace(K key, V value) {
    return replaceValue(key, value, false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return copier.copy(replaceValue(key, value, true));
  }

  /** Replaces a live entry; answers the value it replaced, or null when there was none. */
  private V replaceValue(K key, V value, boolean returnsPrevious) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics.start();
    V stored = copier.copy(value);
    Op<V> op = new Op<>(key) {
      @Override
      public EntryCommand<V> command() {
        return command(Condition.PRESENT, Effect.WRITE, stored, null, returnsPrevious, true);
      }

      @Override
      V run(StoredEntry<V> live, Mutation<V> mutation) {
        if (live == null) {
          return null;
        }
        hit = true;
        writeThrough(key, value);
        update(live, stored, value, mutation);
        return live.value();
      }
    };
    V previous = compute(key, op);
    recordRead(op.hit, start);
    recordPuts(op.puts, start);
    dispatcher.awaitSynchronous();
    return previous;
  }

  // ---------------------------------------------------------------- removals

  @Override
  public boolean remove(K key) {
    requireOpen();
    requireNonNull(key, "key");
    long start = statistics.start();
    Removal removal = new Removal(key, true, false);
    boolean removed = compute(key, removal) != null;
    recordRemovals(removal.removals, start);
    dispatcher.awaitSynchronous();
    return removed;
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    requireNonNull(key, "key");
    long start = statistics.start();
    Removal removal = new Removal(key, true, true);
    V previous = compute(key, removal);
    recordRead(previous != null, start);
    recordRemovals(removal.removals, start);
    dispatcher.awaitSynchronous();
    return copier.copy(previous);
  }

  /** An unconditional removal; answers the value removed, or null when there was none. */
  private final class Removal extends Op<V> {
    final boolean deleteThrough;
    final boolean returnsPrevious;

    /**
     * @param deleteThrough whether to call the writer (not when removeAll's batch did)
     * @param returnsPrevious whether the caller uses the removed value (getAndRemove)
     */
    Removal(K key, boolean deleteThrough, boolean returnsPrevious) {
      super(key);
      this.deleteThrough = deleteThrough;
      this.returnsPrevious = returnsPrevious;
    }

    @Override
    public EntryCommand<V> command() {
      return command(Condition.PRESENT, Effect.REMOVE, null, null, returnsPrevious, deleteThrough);
    }

    @Override
    V run(StoredEntry<V> live, Mutation<V> mutation) {
      if (deleteThrough) {
        deleteThrough(key);
      }
      if (live == null) {
        return null;
      }
      remove(live, mutation);
      return live.value();
    }
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    long start = statistics.start();
    Op<Boolean> op = new Op<>(key) {
      @Override
      public EntryCommand<V> command() {
        return command(Condition.EQUALS, Effect.REMOVE, null, oldValue, true, true);
      }

      @Override
      Boolean run(StoredEntry<V> live, Mutation<V> mutation) {
        if (live == null) {
          return false;
        }
        hit = true;
        if (!live.value().equals(oldValue)) {
          touchOnAccess(live, mutation);
          return false;
        }
        deleteThrough(key);
        remove(live, mutation);
        return true;
      }
    };
    boolean removed = compute(key, op);
    recordRead(op.hit, start);
    recordRemovals(op.removals, start);
    dispatcher.awaitSynchronous();
    return removed;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireNoNullKeys(keys);
    removeKeys(new LinkedHashSet<>(keys));
  }

  @Override
  public void removeAll() {
    requireOpen();
    Set<K> keys = new LinkedHashSet<>();
    store.keys().forEachRemaining(keys::add);
    removeKeys(keys);
  }

  private void removeKeys(Set<K> keys) {
    long start = statistics.start();
    CacheWriterException failure = null;
    Set<K> toRemove = keys;
    if (writer != null && !keys.isEmpty()) {
      Set<K> undeleted = new LinkedHashSet<>(keys);
      try {
        writer.deleteAll(undeleted);
        undeleted.clear();
      } catch (RuntimeException e) {
        failure = asWriterException(e);
      }
      // The writer leaves only what it failed to delete; those stay cached.
      toRemove = new LinkedHashSet<>(keys);
      toRemove.removeAll(undeleted);
    }
    List<K> storeKeys = new ArrayList<>(toRemove);
    List<Removal> removals = new ArrayList<>(toRemove.size());
    for (K key : toRemove) {
      removals.add(new Removal(key, false, false));
    }
    computeAll(storeKeys, removals);
    recordRemovals(removals.stream().mapToInt(removal -> removal.removals).sum(), start);
    dispatcher.awaitSynchronous();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void clear() {
    requireOpen();
    store.clear();
  }

  // ---------------------------------------------------------------- loading

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    requireOpen();
    requireNoNullKeys(keys);
    CompletionListener listener = completionListener == null ? NO_LISTENER : completionListener;
    if (loader == null) {
      listener.onCompletion();
      return;
    }
    Set<K> requested = new LinkedHashSet<>(keys);
    CompletableFuture<Void> load = new CompletableFuture<>();
    loads.add(load);
    load.whenComplete((result, error) -> loads.remove(load));
    executor.execute(() -> {
      try {
        if (closed) {
          throw new IllegalStateException("Cache '" + name + "' closed before loading");
        }
        List<K> toLoad = new ArrayList<>();
        for (K key : requested) {
          if (replaceExistingValues || store.peek(key) == null) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded;
        try {
          loaded = loader.loadAll(toLoad);
        } catch (CacheLoaderException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new CacheLoaderException("The CacheLoader of cache '" + name + "' failed", e);
        }
        if (loaded != null) {
          for (Map.Entry<K, V> entry : loaded.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
              storeLoaded(entry.getKey(), entry.getValue(), replaceExistingValues);
            }
          }
        }
        dispatcher.awaitSynchronous();
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e);
      } finally {
        load.complete(null);
      }
    });
  }

  /** loadAll tasks still running: close() waits for them before closing the loader. */
  private final Set<CompletableFuture<Void>> loads = ConcurrentHashMap.newKeySet();

  private void awaitLoads() {
    try {
      CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // A load that failed has reported to its listener; one still running after 30 s is left.
    }
  }

  /** Puts a loaded value: no writer call, no put statistics, as the specification says. */
  private void storeLoaded(K key, V value, boolean replaceExisting) {
    V stored = copier.copy(value);
    compute(key, new Op<Void>(key) {
      @Override
      Void run(StoredEntry<V> live, Mutation<V> mutation) {
        if (live == null) {
          storeNew(stored, value, mutation);
        } else if (replaceExisting) {
          update(live, stored, value, mutation);
        }
        return null;
      }
    });
  }

  private V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The CacheLoader of cache '" + name + "' failed", e);
    }
  }

  private static final CompletionListener NO_LISTENER = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {}
  };

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    requireNonNull(key, "key");
    requireNonNull(processor, "entryProcessor");
    long start = statistics.start();
    Invocation<T> invocation = new Invocation<>(key, processor, arguments);
    try {
      T result = compute(key, invocation);
      dispatcher.awaitSynchronous();
      return result;
    } finally {
      recordRead(invocation.hit, start);
      recordPuts(invocation.puts, start);
      recordRemovals(invocation.removals, start);
    }
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    requireNoNullKeys(keys);
    requireNonNull(processor, "entryProcessor");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (RuntimeException e) {
        EntryProcessorException failure = e instanceof EntryProcessorException epe
            ? epe : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
      }
    }
    return results;
  }

  /** Runs a processor on a copy of the entry and applies its net effect. */
  private final class Invocation<T> extends Op<T> {
    final EntryProcessor<K, V, T> processor;
    final Object[] arguments;

    Invocation(K key, EntryProcessor<K, V, T> processor, Object[] arguments) {
      super(key);
      this.processor = processor;
      this.arguments = arguments;
    }

    @Override
    T run(StoredEntry<V> live, Mutation<V> mutation) {
      hit = live != null;
      Function<K, V> readThrough = isReadThrough() ? CacheLayerCache.this::load : null;
      ProcessorEntry<K, V> entry = new ProcessorEntry<>(key,
          live == null ? null : copier.copy(live.value()), readThrough);
      T result;
      try {
        result = processor.process(entry, arguments);
      } catch (CacheException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new EntryProcessorException(e);
      }
      switch (entry.operation()) {
        case NONE -> { }
        case ACCESS -> touchOnAccess(live, mutation);
        case LOAD -> storeNew(copier.copy(entry.value()), entry.value(), mutation);
        case CREATE -> {
          writeThrough(key, entry.value());
          create(copier.copy(entry.value()), entry.value(), mutation);
        }
        case UPDATE -> {
          writeThrough(key, entry.value());
          update(live, copier.copy(entry.value()), entry.value(), mutation);
        }
        case REMOVE -> {
          deleteThrough(key);
          if (live != null) {
            remove(live, mutation);
          }
        }
      }
      return result;
    }
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    Iterator<K> keys = store.keys();
    return new Iterator<>() {
      Entry<K, V> next;
      Entry<K, V> last;

      @Override
      public boolean hasNext() {
        while (next == null && keys.hasNext()) {
          K key = keys.next();
          long start = statistics.start();
          Read read = new Read(key, false);
          V value = compute(key, read);
          if (value != null) {
            statistics.recordHits(1);
            statistics.recordGetTime(start);
            next = new CacheEntry<>(copier.copy(key), copier.copy(value));
          }
        }
        dispatcher.awaitSynchronous();
        return next != null;
      }

      @Override
      public Entry<K, V> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        last = next;
        next = null;
        return last;
      }

      @Override
      public void remove() {
        if (last == null) {
          throw new IllegalStateException("next() must come before remove()");
        }
        requireOpen();
        long start = statistics.start();
        Removal removal = new Removal(last.getKey(), true, false);
        compute(last.getKey(), removal);
        recordRemovals(removal.removals, start);
        last = null;
        dispatcher.awaitSynchronous();
      }
    };
  }

  // ---------------------------------------------------------------- the decision base

  /**
   * Runs one decision. Under store-by-value the key is copied too: a caller that mutates its key
   * object afterwards must not change the entry's identity in the store.
   */
  private <R> R compute(K key, Op<R> op) {
    return store.compute(copier.copy(key), op);
  }

  /** {@link #compute} for many keys, one decision each, sent together where the store can. */
  private <R> void computeAll(List<K> keys, List<? extends Op<R>> ops) {
    List<K> copies = new ArrayList<>(keys.size());
    for (K key : keys) {
      copies.add(copier.copy(key));
    }
    store.computeAll(copies, ops);
  }

  /**
   * One atomic single-key decision. The base reclaims an expired entry (raising EXPIRED) and shows
   * the subclass only the live entry; counters and events are reset on every run because a remote
   * store may run an action more than once before one run commits.
   */
  private abstract class Op<R>
      implements EntryAction<V, R>, EventSource<K, V>, ScriptableAction<V> {
    final K key;
    /** The decision's time, read when first needed. */
    final Clock now;
    boolean hit;
    int puts;
    int removals;
    private List<PendingEvent<K, V>> events;

    Op(K key) {
      this.key = key;
      this.now = new OnceClock(clock);
    }

    @Override
    public final R apply(StoredEntry<V> current, Mutation<V> mutation) {
      hit = false;
      puts = 0;
      removals = 0;
      events = null;
      StoredEntry<V> live = current;
      if (current != null && current.isExpired(now)) {
        mutation.remove();
        if (eventsWanted()) {
          event(EventType.EXPIRED, copier.copy(current.value()), null);
        }
        live = null;
      }
      return run(live, mutation);
    }

    abstract R run(StoredEntry<V> live, Mutation<V> mutation);

    /** Most decisions need Java: a command is offered by the simple operations only. */
    @Override
    public EntryCommand<V> command() {
      return null;
    }

    /**
     * This decision as a command, or null when it cannot be one: the writer must be called, or
     * the expiry policy is not one of the specification's own.
     *
     * @param returnsPrevious whether the operation returns or compares the previous value
     * @param callsWriter whether the decision calls the writer when it changes the entry
     */
    EntryCommand<V> command(Condition condition, Effect effect, V value, V expected,
        boolean returnsPrevious, boolean callsWriter) {
      EntryCommand.Durations durations = expiry.durations();
      if (durations == null || (callsWriter && writer != null)) {
        return null;
      }
      return new EntryCommand<>(condition, effect, value, expected, now.millis(), durations,
          returnsPrevious || eventsWanted());
    }

    @Override
    public List<PendingEvent<K, V>> events() {
      return events == null ? List.of() : events;
    }

    @Override
    public void onCommit() {
      if (events != null) {
        dispatcher.publish(CacheLayerCache.this, events);
      }
    }

    /** Stores a new entry unless its creation expiry is already over; true if stored. */
    boolean create(V stored, V given, Mutation<V> mutation) {
      if (!storeNew(stored, given, mutation)) {
        return false;
      }
      puts++;
      return true;
    }

    /** As {@link #create}, for a loaded value: a load is not counted as a put. */
    boolean storeNew(V stored, V given, Mutation<V> mutation) {
      long expireAt = expiry.creation(now);
      if (expireAt != StoredEntry.ETERNAL && expireAt <= now.millis()) {
        return false;
      }
      mutation.write(stored, expireAt);
      created(given);
      return true;
    }

    void update(StoredEntry<V> live, V stored, V given, Mutation<V> mutation) {
      mutation.write(stored, expiry.update(now, live.expireAt()));
      puts++;
      if (eventsWanted()) {
        event(EventType.UPDATED, given, copier.copy(live.value()));
      }
    }

    void remove(StoredEntry<V> live, Mutation<V> mutation) {
      mutation.remove();
      removals++;
      if (eventsWanted()) {
        event(EventType.REMOVED, copier.copy(live.value()), null);
      }
    }

    void touchOnAccess(StoredEntry<V> live, Mutation<V> mutation) {
      long expireAt = expiry.access(now, live.expireAt());
      if (expireAt != live.expireAt()) {
        mutation.touch(expireAt);
      }
    }

    void created(V value) {
      event(EventType.CREATED, value, null);
    }

    private void event(EventType type, V value, V oldValue) {
      if (eventsWanted()) {
        if (events == null) {
          events = new ArrayList<>(2);
        }
        events.add(new PendingEvent<>(type, key, value, oldValue));
      }
    }

    void writeThrough(K k, V value) {
      if (writer != null) {
        try {
          writer.write(new CacheEntry<>(k, value));
        } catch (RuntimeException e) {
          throw asWriterException(e);
        }
      }
    }

    void deleteThrough(K k) {
      if (writer != null) {
        try {
          writer.delete(k);
        } catch (RuntimeException e) {
          throw asWriterException(e);
        }
      }
    }
  }

  private CacheWriterException asWriterException(RuntimeException e) {
    return e instanceof CacheWriterException cwe ? cwe
        : new CacheWriterException("The CacheWriter of cache '" + name + "' failed", e);
  }

  /** Whether anyone, in this JVM or (through a shared store) another, listens to this cache. */
  private boolean eventsWanted() {
    return dispatcher.hasListeners() || store.othersListen();
  }

  /** Entries the store dropped on its own: size evictions count, reclaimed expiries notify. */
  private void onEviction(K key, StoredEntry<V> entry, boolean expired) {
    if (expired) {
      if (eventsWanted()) {
        dispatcher.publish(this, List.of(new PendingEvent<>(EventType.EXPIRED, key,
            copier.copy(entry.value()), null)));
      }
    } else {
      statistics.recordEvictions(1);
    }
  }

  // ---------------------------------------------------------------- statistics helpers

  private void recordRead(boolean hit, long start) {
    if (hit) {
      statistics.recordHits(1);
    } else {
      statistics.recordMisses(1);
    }
    statistics.recordGetTime(start);
  }

  private void recordPuts(int puts, long start) {
    if (puts > 0) {
      statistics.recordPuts(puts);
      statistics.recordPutTime(start);
    }
  }

  private void recordRemovals(int removals, long start) {
    if (removals > 0) {
      statistics.recordRemovals(removals);
      statistics.recordRemoveTime(start);
    }
  }

  // ---------------------------------------------------------------- argument checks

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed");
    }
  }

  private boolean isReadThrough() {
    return loader != null && configuration.isReadThrough();
  }

  private void checkKeyValue(K key, V value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    Class<?> keyType = configuration.getKeyType();
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException("Cache '" + name + "' takes keys of " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
    Class<?> valueType = configuration.getValueType();
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException("Cache '" + name + "' takes values of " + valueType.getName()
          + ", not " + value.getClass().getName());
    }
  }

  private static void requireNoNullKeys(Collection<?> keys) {
    requireNonNull(keys, "keys");
    for (Object key : keys) {
      requireNonNull(key, "keys contains null");
    }
  }

  // ---------------------------------------------------------------- the rest of Cache

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("The configuration of cache '" + name
        + "' is not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireOpen();
    requireNonNull(listener, "cacheEntryListenerConfiguration");
    dispatcher.register(listener);
    configuration.addCacheEntryListenerConfiguration(listener);
    store.localListenersChanged(dispatcher.registrationCount());
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireOpen();
    requireNonNull(listener, "cacheEntryListenerConfiguration");
    dispatcher.deregister(listener);
    configuration.removeCacheEntryListenerConfiguration(listener);
    store.localListenersChanged(dispatcher.registrationCount());
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  /** Statistics of this cache, whether or not they are enabled. */
  public CacheStatistics statistics() {
    return statistics;
  }

  public void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statistics.setEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(statistics, statisticsName);
    } else {
      JmxRegistration.unregister(statisticsName);
    }
  }

  public void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(configurationBean, configurationName);
    } else {
      JmxRegistration.unregister(configurationName);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      JmxRegistration.unregister(statisticsName);
      JmxRegistration.unregister(configurationName);
    } finally {
      awaitLoads();
      dispatcher.close();
      Closeables.closeQuietly(loader);
      Closeables.closeQuietly(writer);
      Closeables.closeQuietly(expiry.policy());
      store.close();
      onClose.run();
    }
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isInstance(store)) {
      return clazz.cast(store);
    }
    throw new IllegalArgumentException("Cache '" + name + "' cannot be unwrapped to "
        + clazz.getName());
  }

  /** The expiry policy in force, for tests and management. */
  ExpiryPolicy expiryPolicy() {
    return expiry.policy();
  }

  @Override
  public String toString() {
    return "CacheLayerCache[" + name + "]";
  }
}
