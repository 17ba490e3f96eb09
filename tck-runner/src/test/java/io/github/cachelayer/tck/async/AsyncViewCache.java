package io.github.cachelayer.tck.async;

import io.github.cachelayer.cache.AsyncCache;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A CacheLayer cache whose every operation the asynchronous view has goes through it and is
 * awaited, failures rethrown as the view's future carries them: the TCK run over these caches
 * pins the view's semantics to the specification's. What the view does not have (listeners,
 * loadAll, iteration, configuration, lifecycle) is the cache's own.
 */
final class AsyncViewCache<K, V> implements Cache<K, V> {
  private final Cache<K, V> cache;
  private final AsyncCache<K, V> async;
  private final AsyncViewCacheManager manager;

  @SuppressWarnings("unchecked")
  AsyncViewCache(Cache<K, V> cache, AsyncViewCacheManager manager) {
    this.cache = cache;
    this.async = cache.unwrap(AsyncCache.class);
    this.manager = manager;
  }

  /** The future's value; its failure as the synchronous operation would have thrown it. */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  @Override
  public V get(K key) {
    return await(async.get(key));
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    return await(async.getAll(keys));
  }

  @Override
  public boolean containsKey(K key) {
    return await(async.containsKey(key));
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    cache.loadAll(keys, replaceExistingValues, completionListener);
  }

  @Override
  public void put(K key, V value) {
    await(async.put(key, value));
  }

  @Override
  public V getAndPut(K key, V value) {
    return await(async.getAndPut(key, value));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    await(async.putAll(map));
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return await(async.putIfAbsent(key, value));
  }

  @Override
  public boolean remove(K key) {
    return await(async.remove(key));
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return await(async.remove(key, oldValue));
  }

  @Override
  public V getAndRemove(K key) {
    return await(async.getAndRemove(key));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return await(async.replace(key, oldValue, newValue));
  }

  @Override
  public boolean replace(K key, V value) {
    return await(async.replace(key, value));
  }

  @Override
  public V getAndReplace(K key, V value) {
    return await(async.getAndReplace(key, value));
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    await(async.removeAll(keys));
  }

  @Override
  public void removeAll() {
    await(async.removeAll());
  }

  @Override
  public void clear() {
    await(async.clear());
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    return cache.getConfiguration(clazz);
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    return await(async.invoke(key, processor, arguments));
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    return await(async.invokeAll(keys, processor, arguments));
  }

  @Override
  public String getName() {
    return cache.getName();
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    cache.close();
  }

  @Override
  public boolean isClosed() {
    return cache.isClosed();
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return clazz.isInstance(this) ? clazz.cast(this) : cache.unwrap(clazz);
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> configuration) {
    cache.registerCacheEntryListener(configuration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> configuration) {
    cache.deregisterCacheEntryListener(configuration);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    return cache.iterator();
  }
}
