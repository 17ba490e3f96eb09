package io.github.cachelayer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoaderWriterTest {
  private final CacheManager manager = Managers.fresh();

  @AfterEach
  void close() {
    manager.close();
  }

  /** Loads "v" + key; fails for keys below zero. Counts its calls. */
  static final class Loader implements CacheLoader<Integer, String>, java.io.Serializable {
    static final AtomicInteger LOADS = new AtomicInteger();

    @Override
    public String load(Integer key) {
      LOADS.incrementAndGet();
      if (key < 0) {
        throw new IllegalArgumentException("no negative keys");
      }
      return key == 0 ? null : "v" + key;
    }

    @Override
    public Map<Integer, String> loadAll(Iterable<? extends Integer> keys) {
      Map<Integer, String> result = new HashMap<>();
      keys.forEach(key -> result.put(key, load(key)));
      return result;
    }
  }

  /** Writes into a shared map; refuses keys it is told to refuse, removing the rest as written. */
  static final class Writer implements CacheWriter<Integer, String>, java.io.Serializable {
    static final Map<Integer, String> WRITTEN = new ConcurrentHashMap<>();
    static final Set<Integer> REFUSED = ConcurrentHashMap.newKeySet();

    @Override
    public void write(Cache.Entry<? extends Integer, ? extends String> entry) {
      if (REFUSED.contains(entry.getKey())) {
        throw new IllegalStateException("database down for " + entry.getKey());
      }
      WRITTEN.put(entry.getKey(), entry.getValue());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends Integer, ? extends String>> entries) {
      for (Iterator<Cache.Entry<? extends Integer, ? extends String>> it = entries.iterator();
          it.hasNext(); ) {
        write(it.next());
        it.remove();
      }
    }

    @Override
    public void delete(Object key) {
      if (REFUSED.contains(key)) {
        throw new CacheWriterException("cannot delete " + key);
      }
      WRITTEN.remove(key);
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      for (Iterator<?> it = keys.iterator(); it.hasNext(); ) {
        delete(it.next());
        it.remove();
      }
    }
  }

  private Cache<Integer, String> readThrough() {
    Loader.LOADS.set(0);
    return manager.createCache("read-through", new MutableConfiguration<Integer, String>()
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(new Loader())).setReadThrough(true)
        .setStatisticsEnabled(true));
  }

  private Cache<Integer, String> writeThrough() {
    Writer.WRITTEN.clear();
    Writer.REFUSED.clear();
    return manager.createCache("write-through", new MutableConfiguration<Integer, String>()
        .setCacheWriterFactory(FactoryBuilder.factoryOf(new Writer())).setWriteThrough(true));
  }

  @Test
  void missLoadsOnceThenHits() {
    Cache<Integer, String> cache = readThrough();
    assertEquals("v1", cache.get(1));
    assertEquals("v1", cache.get(1));
    assertEquals(1, Loader.LOADS.get());
  }

  @Test
  void loaderFailureIsACacheLoaderExceptionAndCachesNothing() {
    Cache<Integer, String> cache = readThrough();
    CacheLoaderException thrown = assertThrows(CacheLoaderException.class, () -> cache.get(-1));
    assertInstanceOf(IllegalArgumentException.class, thrown.getCause());
    assertFalse(cache.containsKey(-1));
  }

  @Test
  void loaderReturningNullCachesNothing() {
    Cache<Integer, String> cache = readThrough();
    assertNull(cache.get(0));
    assertFalse(cache.containsKey(0));
  }

  @Test
  void loadAllReportsFailureToTheCompletionListener() throws Exception {
    Cache<Integer, String> cache = readThrough();
    CompletableFuture<Exception> outcome = new CompletableFuture<>();
    cache.loadAll(Set.of(1, -1), true, new CompletionListener() {
      @Override
      public void onCompletion() {
        outcome.complete(null);
      }

      @Override
      public void onException(Exception e) {
        outcome.complete(e);
      }
    });
    assertInstanceOf(CacheLoaderException.class, outcome.get(10, TimeUnit.SECONDS));
  }

  @Test
  void writerFailureLeavesTheCacheUnchanged() {
    Cache<Integer, String> cache = writeThrough();
    cache.put(1, "a");
    Writer.REFUSED.add(1);
    CacheWriterException thrown = assertThrows(CacheWriterException.class, () -> cache.put(1, "b"));
    assertInstanceOf(IllegalStateException.class, thrown.getCause());
    assertEquals("a", cache.get(1));
    assertThrows(CacheWriterException.class, () -> cache.remove(1));
    assertEquals("a", cache.get(1), "a failed delete keeps the entry");
    assertEquals("a", Writer.WRITTEN.get(1));
  }

  @Test
  void putAllCachesOnlyWhatTheWriterWrote() {
    Cache<Integer, String> cache = writeThrough();
    Writer.REFUSED.add(3);
    Map<Integer, String> entries = new HashMap<>();
    for (int i = 1; i <= 5; i++) {
      entries.put(i, "v" + i);
    }
    assertThrows(CacheWriterException.class, () -> cache.putAll(entries));
    for (int i = 1; i <= 5; i++) {
      assertEquals(cache.containsKey(i), Writer.WRITTEN.containsKey(i), "key " + i);
    }
    assertFalse(cache.containsKey(3));
  }

  @Test
  void removeAllKeepsWhatTheWriterCouldNotDelete() {
    Cache<Integer, String> cache = writeThrough();
    for (int i = 1; i <= 4; i++) {
      cache.put(i, "v" + i);
    }
    Writer.REFUSED.add(2);
    assertThrows(CacheWriterException.class,
        () -> cache.removeAll(new LinkedHashSet<>(java.util.List.of(1, 2, 3, 4))));
    assertTrue(cache.containsKey(2));
    assertFalse(cache.containsKey(1) && cache.containsKey(3) && cache.containsKey(4),
        "what the writer deleted before failing is gone from the cache too");
    for (int i = 1; i <= 4; i++) {
      assertEquals(cache.containsKey(i), Writer.WRITTEN.containsKey(i), "key " + i);
    }
  }

  @Test
  void putIfAbsentWritesOnlyWhenItPuts() {
    Cache<Integer, String> cache = writeThrough();
    assertTrue(cache.putIfAbsent(1, "a"));
    Writer.WRITTEN.put(1, "changed behind the cache");
    assertFalse(cache.putIfAbsent(1, "b"));
    assertEquals("changed behind the cache", Writer.WRITTEN.get(1));
  }

  @Test
  void closeClosesTheLoaderAndWriter() {
    var closed = new AtomicInteger();
    class Closing implements CacheLoader<Integer, String>, java.io.Closeable {
      @Override
      public String load(Integer key) {
        return null;
      }

      @Override
      public Map<Integer, String> loadAll(Iterable<? extends Integer> keys) {
        return Map.of();
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    }
    Closing loader = new Closing();
    Cache<Integer, String> cache = manager.createCache("closing",
        new MutableConfiguration<Integer, String>().setCacheLoaderFactory(() -> loader));
    cache.close();
    cache.close();
    assertEquals(1, closed.get(), "closed once, however often the cache is");
    assertSame(null, manager.getCache("closing"), "a closed cache leaves its manager");
  }
}
