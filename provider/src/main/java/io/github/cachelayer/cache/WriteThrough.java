package io.github.cachelayer.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's writer, called as the specification says: single writes and deletes before the
 * entry changes, batches that leave in their argument what they failed to write. Without a writer
 * (or without write-through) every call does nothing.
 */
final class WriteThrough<K, V> {
  private final String cacheName;
  private final CacheWriter<K, V> writer;

  /** @param writer the writer, or null for none */
  WriteThrough(String cacheName, CacheWriter<K, V> writer) {
    this.cacheName = cacheName;
    this.writer = writer;
  }

  boolean isPresent() {
    return writer != null;
  }

  CacheWriter<K, V> writer() {
    return writer;
  }

  void write(K key, V value) {
    if (writer != null) {
      try {
        writer.write(new CacheEntry<>(key, value));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  void delete(K key) {
    if (writer != null) {
      try {
        writer.delete(key);
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /** What a batch wrote (or deleted), and how it failed for the rest, if it did. */
  record Batch<T>(T done, CacheWriterException failure) {
    void throwIfFailed() {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Writes {@code entries} with writeAll; only what it wrote may be cached. */
  <KK extends K, VV extends V> Batch<Map<KK, VV>> writeAll(Map<KK, VV> entries) {
    if (writer == null) {
      return new Batch<>(entries, null);
    }
    List<Cache.Entry<? extends K, ? extends V>> unwritten = new ArrayList<>(entries.size());
    entries.forEach((k, v) -> unwritten.add(new CacheEntry<>(k, v)));
    CacheWriterException failure = batch(unwritten, writer::writeAll);
    Map<KK, VV> written = new HashMap<>(entries);
    unwritten.forEach(entry -> written.remove(entry.getKey()));
    return new Batch<>(written, failure);
  }

  /** Deletes {@code keys} with deleteAll; only what it deleted may leave the cache. */
  Batch<Set<K>> deleteAll(Set<K> keys) {
    if (writer == null || keys.isEmpty()) {
      return new Batch<>(keys, null);
    }
    Set<K> undeleted = new LinkedHashSet<>(keys);
    CacheWriterException failure = batch(undeleted, writer::deleteAll);
    Set<K> deleted = new LinkedHashSet<>(keys);
    deleted.removeAll(undeleted);
    return new Batch<>(deleted, failure);
  }

  /** Runs a batch call; on success nothing is left pending, on failure what the writer left. */
  private <E, C extends Collection<E>> CacheWriterException batch(C pending, Consumer<C> call) {
    try {
      call.accept(pending);
      pending.clear();
      return null;
    } catch (RuntimeException e) {
      return failure(e);
    }
  }

  private CacheWriterException failure(RuntimeException e) {
    return e instanceof CacheWriterException cwe ? cwe
        : new CacheWriterException("The CacheWriter of cache '" + cacheName + "' failed", e);
  }
}
