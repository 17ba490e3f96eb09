package io.github.cachelayer.cache;

import static java.util.Objects.requireNonNull;

import io.github.cachelayer.cache.SingleWrite.Reads;
import io.github.cachelayer.codec.Copier;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.event.EventDispatcher;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.management.CacheStatistics;
import io.github.cachelayer.management.NearCacheStatistics;
import io.github.cachelayer.management.OutageStatus;
import io.github.cachelayer.store.Backend;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.util.Closeables;
import io.github.cachelayer.util.WaitingThreads;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * The JCache semantics, written once above a {@link Store}: expiry-policy calls, entry events,
 * read-through and write-through, entry processors, statistics and store-by-value copies.
 *
 * <p>Every single-key operation is one {@link Store#compute} call: the store shows the entry, a
 * decision ({@link Op}: {@link Read}, {@link Put}, {@link IfEqual}, ...) decides, calling the
 * writer, the loader and the expiry policy exactly as the specification says and recording events,
 * and the store applies it atomically. Events are published when the store commits; synchronous
 * listeners are awaited before the call returns, also when it fails part-way; statistics are
 * recorded before it returns, so they are exact at every moment. This class checks arguments,
 * builds the decisions and keeps the lifecycle ({@link CacheLifecycle}).
 */
public final class CacheLayerCache<K, V> implements Cache<K, V> {
  private final String name;
  private final CacheManager manager;
  private final CacheLayerConfiguration<K, V> configuration;
  private final Store<K, V> store;
  private final Copier copier;
  private final ExpiryTimes expiry;
  /** The loader, for loadAll whether or not the cache reads through; null if none. */
  private final ReadThrough<K, V> loader;
  private final WriteThrough<K, V> writer;
  private final EventDispatcher<K, V> dispatcher;
  private final OperationContext<K, V> context;
  private final CacheLifecycle lifecycle;
  private final ReadPath<K, V> reads;
  private final AsyncView<K, V> async;
  private final BulkWrites<K, V> bulkWrites;
  private final BulkLoader<K, V> bulkLoader;

  /**
   * @param configuration this cache's own copy of its configuration
   * @param backend makes the cache's store, and the store-by-value copies it needs on top
   * @param onClose tells the manager the cache is gone
   */
  public CacheLayerCache(String name, CacheManager manager,
      CacheLayerConfiguration<K, V> configuration, Backend backend, Clock clock,
      Executor executor, Runnable onClose) {
    this.name = requireNonNull(name, "name");
    this.manager = requireNonNull(manager, "manager");
    this.configuration = requireNonNull(configuration, "configuration");
    requireNonNull(backend, "backend");
    requireNonNull(clock, "clock");
    requireNonNull(executor, "executor");
    requireNonNull(onClose, "onClose");
    this.expiry = new ExpiryTimes(requireNonNull(
        configuration.getExpiryPolicyFactory().create(), "the expiry policy factory returned null"));
    this.loader = configuration.getCacheLoaderFactory() == null ? null
        : new ReadThrough<>(name, configuration.getCacheLoaderFactory().create());
    this.writer = new WriteThrough<>(name, configuration.isWriteThrough()
        && configuration.getCacheWriterFactory() != null ? writerOf(configuration) : null);
    this.dispatcher = new EventDispatcher<>(executor);
    for (CacheEntryListenerConfiguration<K, V> listener
        : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.lifecycle = new CacheLifecycle(name, manager.getURI(), configuration, onClose);
    this.store = backend.createStore(name, configuration, this::onEviction,
        expiry.entriesExpire(), expiry.accessKeepsExpiry());
    this.copier = requireNonNull(backend.copier(configuration, expiry.accessKeepsExpiry()),
        "copier");
    this.context = new OperationContext<>(copier, clock, expiry, writer,
        loader != null && configuration.isReadThrough() ? loader : null, dispatcher, this,
        this.store, lifecycle.statistics());
    this.store.onRemoteEvents(events -> dispatcher.publishRemote(this, events));
    this.store.localListenersChanged(dispatcher.registrationCount());
    this.reads = new ReadPath<>(context);
    this.async = new AsyncView<>(this, reads, store, WaitingThreads.executor());
    this.bulkWrites = new BulkWrites<>(context);
    this.bulkLoader = loader == null ? null
        : new BulkLoader<>(context, loader, executor, lifecycle::isClosed);
  }

  /** A writer of supertypes of K and V accepts K and V: the cast only narrows what we pass it. */
  @SuppressWarnings("unchecked")
  private static <K, V> CacheWriter<K, V> writerOf(CacheLayerConfiguration<K, V> configuration) {
    return (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireOpen();
    requireNonNull(key, "key");
    V value = reads.get(key);
    dispatcher.awaitSynchronous();
    return value;
  }

  /**
   * The key's value; on a miss, what {@code loader} returns for it, kept as a read-through load
   * is (the expiry policy's creation time, a CREATED event, no writer call) and returned; counted
   * as a miss and, when kept, as a put (as Spring's caches count a cached method's value).
   * Concurrent misses of one key load once: in this JVM, and in Redis mode across every JVM
   * sharing the cache (a lease of 10 s per key, renewed while the loader runs, up to 20 s; a
   * loader that throws releases it, and one of the waiters loads in its place; a JVM that dies
   * while loading holds it until it lapses). A null from the loader keeps nothing and is returned. The
   * loader's exception reaches the caller as thrown. The loader runs on the caller's thread,
   * never inside a lock on Redis, and must not use this cache's key itself.
   *
   * @throws NullPointerException if the key or the loader is null
   */
  public V getOrLoad(K key, Function<? super K, ? extends V> loader) {
    requireOpen();
    requireNonNull(key, "key");
    requireNonNull(loader, "loader");
    V value = reads.getOrLoad(key, loader);
    dispatcher.awaitSynchronous();
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    Arguments.requireNoNullKeys(keys);
    return reads.getAll(keys);
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
    putWrite(key, value, false).run();
  }

  @Override
  public V getAndPut(K key, V value) {
    return copier.copy(putWrite(key, value, true).run());
  }

  SingleWrite<K, V, V> putWrite(K key, V value, boolean returnsPrevious) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics().start();
    return new SingleWrite<>(context, key, new Put<>(context, key, copier.copy(value), value,
        true, returnsPrevious), start, returnsPrevious ? Reads.TIMED : Reads.NONE);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return putIfAbsentWrite(key, value).run();
  }

  SingleWrite<K, V, Boolean> putIfAbsentWrite(K key, V value) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics().start();
    return new SingleWrite<>(context, key,
        new PutIfAbsent<>(context, key, copier.copy(value), value), start, Reads.PRESENCE);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    checkEntries(map);
    bulkWrites.putAll(map);
  }

  /** putAll's checks, all before anything is written. */
  void checkEntries(Map<? extends K, ? extends V> map) {
    requireOpen();
    requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      checkKeyValue(entry.getKey(), entry.getValue());
    }
  }

  /**
   * Whether a writer takes the bulk operations' entries together (writeAll, deleteAll): they
   * cannot then run as the single-key operations they otherwise are.
   */
  boolean writesThrough() {
    return context.writer.isPresent();
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return replaceIfEqualWrite(key, oldValue, newValue).run();
  }

  SingleWrite<K, V, Boolean> replaceIfEqualWrite(K key, V oldValue, V newValue) {
    requireOpen();
    checkKeyValue(key, newValue);
    requireNonNull(oldValue, "oldValue");
    long start = statistics().start();
    return new SingleWrite<>(context, key,
        IfEqual.replace(context, key, oldValue, copier.copy(newValue), newValue), start,
        Reads.TIMED);
  }

  @Override
  public boolean replace(K key, V value) {
    return replaceWrite(key, value, false).run() != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return copier.copy(replaceWrite(key, value, true).run());
  }

  /** Replaces a live entry; answers the value it replaced, or null when there was none. */
  SingleWrite<K, V, V> replaceWrite(K key, V value, boolean returnsPrevious) {
    requireOpen();
    checkKeyValue(key, value);
    long start = statistics().start();
    return new SingleWrite<>(context, key, new ReplacePresent<>(context, key, copier.copy(value),
        value, returnsPrevious), start, Reads.TIMED);
  }

  /** A value handed to the caller, copied under store-by-value (as the operations return it). */
  V copy(V value) {
    return copier.copy(value);
  }

  // ---------------------------------------------------------------- removals

  @Override
  public boolean remove(K key) {
    return removeWrite(key, false).run() != null;
  }

  @Override
  public V getAndRemove(K key) {
    return copier.copy(removeWrite(key, true).run());
  }

  SingleWrite<K, V, V> removeWrite(K key, boolean returnsPrevious) {
    requireOpen();
    requireNonNull(key, "key");
    long start = statistics().start();
    return new SingleWrite<>(context, key, new Removal<>(context, key, true, returnsPrevious),
        start, returnsPrevious ? Reads.TIMED : Reads.NONE);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return removeIfEqualWrite(key, oldValue).run();
  }

  SingleWrite<K, V, Boolean> removeIfEqualWrite(K key, V oldValue) {
    requireOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    long start = statistics().start();
    return new SingleWrite<>(context, key, IfEqual.remove(context, key, oldValue), start,
        Reads.TIMED);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    Arguments.requireNoNullKeys(keys);
    bulkWrites.removeAll(new LinkedHashSet<>(keys));
  }

  @Override
  public void removeAll() {
    requireOpen();
    Set<K> keys = new LinkedHashSet<>();
    store.keys().forEachRemaining(keys::add);
    bulkWrites.removeAll(keys);
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
    Arguments.requireNoNullKeys(keys);
    CompletionListener listener = completionListener == null ? Arguments.NO_LISTENER
        : completionListener;
    if (bulkLoader == null) {
      listener.onCompletion();
      return;
    }
    bulkLoader.loadAll(keys, replaceExistingValues, listener);
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    return invokeWrite(key, processor, arguments).run();
  }

  <T> SingleWrite<K, V, T> invokeWrite(K key, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    requireOpen();
    requireNonNull(key, "key");
    requireNonNull(processor, "entryProcessor");
    long start = statistics().start();
    return new SingleWrite<>(context, key, new Invocation<>(context, key, processor, arguments),
        start, Reads.TIMED, true);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    Arguments.requireNoNullKeys(keys);
    requireNonNull(processor, "entryProcessor");
    return ProcessorResults.each(keys, key -> invoke(key, processor, arguments));
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    return new CacheIterator<>(context, store.keys(), key -> {
      requireOpen();
      removeWrite(key, false).run();
    });
  }

  // ---------------------------------------------------------------- running decisions

  /** Entries the store dropped on its own: size evictions count, reclaimed expiries notify. */
  private void onEviction(K key, StoredEntry<V> entry, boolean expired) {
    if (!expired) {
      statistics().recordEvictions(1);
    } else if (context.eventsWanted()) {
      context.publish(List.of(new PendingEvent<>(EventType.EXPIRED, key,
          copier.copy(entry.value()), null)));
    }
  }

  // ---------------------------------------------------------------- argument checks

  void requireOpen() {
    lifecycle.requireOpen();
  }

  private void checkKeyValue(K key, V value) {
    Arguments.checkKeyValue(name, configuration, key, value);
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
    try {
      store.localListenersChanged(dispatcher.registrationCount());
    } catch (RuntimeException e) {
      // Not registered where it counts (Redis away): not registered at all.
      dispatcher.deregister(listener);
      configuration.removeCacheEntryListenerConfiguration(listener);
      throw e;
    }
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

  /**
   * About how many entries the cache holds, expired ones possibly included, without touching
   * them (iteration would count as access and extend sliding expiry). In Redis mode a SCAN of
   * the cache's keys: for dashboards, not for every request.
   */
  public long estimatedSize() {
    requireOpen();
    return store.estimatedSize();
  }

  /** Statistics of this cache, whether or not they are enabled. */
  public CacheStatistics statistics() {
    return lifecycle.statistics();
  }

  /**
   * What this cache's near cache did (its hits are among the statistics' hits too), or null when
   * the cache has none: not configured, fallback mode, or a policy that expires on access.
   */
  public NearCacheStatistics nearCacheStatistics() {
    return store.status().nearCache();
  }

  /**
   * The outage policy's state in Redis mode (whether Redis serves the cache now, how often it
   * did not), or null in fallback mode.
   */
  public OutageStatus outageStatus() {
    return store.status().outage();
  }


  public void setStatisticsEnabled(boolean enabled) {
    lifecycle.setStatisticsEnabled(enabled);
  }

  public void setManagementEnabled(boolean enabled) {
    lifecycle.setManagementEnabled(enabled);
  }

  @Override
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  @Override
  public void close() {
    lifecycle.close(() -> {
      if (bulkLoader != null) {
        bulkLoader.awaitRunning(30);
      }
      dispatcher.close();
      Closeables.closeQuietly(loader == null ? null : loader.loader());
      Closeables.closeQuietly(writer.writer());
      Closeables.closeQuietly(expiry.policy());
      store.close();
    });
  }

  /**
   * This cache, its {@link AsyncCache} view, or one of its store's layers.
   *
   * @throws IllegalArgumentException if none is a {@code clazz}
   */
  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isInstance(async)) {
      return clazz.cast(async);
    }
    for (Store<?, ?> layer = store; layer != null; layer = layer.wrapped()) {
      if (clazz.isInstance(layer)) {
        return clazz.cast(layer);
      }
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
