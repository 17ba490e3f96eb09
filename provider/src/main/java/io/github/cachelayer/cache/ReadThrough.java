package io.github.cachelayer.cache;

import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/** A cache's loader, its failures reported as the specification says. */
final class ReadThrough<K, V> {
  private final String cacheName;
  private final CacheLoader<K, V> loader;

  ReadThrough(String cacheName, CacheLoader<K, V> loader) {
    this.cacheName = cacheName;
    this.loader = java.util.Objects.requireNonNull(loader, "loader");
  }

  String cacheName() {
    return cacheName;
  }

  CacheLoader<K, V> loader() {
    return loader;
  }

  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  Map<K, V> loadAll(Iterable<? extends K> keys) {
    try {
      return loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  private CacheLoaderException failure(RuntimeException e) {
    return new CacheLoaderException("The CacheLoader of cache '" + cacheName + "' failed", e);
  }
}
