package io.github.cachelayer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

/**
 * Two faults random operation sequences found against the reference implementation, in both
 * modes: synchronous listeners of a getAll that fails part-way, and read-through after an entry
 * processor's remove().
 */
class SemanticFaultsTest {
  /** Loads "v<key>", except key 1, which fails. */
  static final class FailsOnOne implements CacheLoader<Integer, String> {
    static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public String load(Integer key) {
      CALLS.incrementAndGet();
      if (key == 1) {
        throw new IllegalStateException("the database is down for key 1");
      }
      return "v" + key;
    }

    @Override
    public Map<Integer, String> loadAll(Iterable<? extends Integer> keys) {
      throw new UnsupportedOperationException();
    }
  }

  /** A synchronous listener that fails on the creation of key 0. */
  static final class FailsOnZero implements CacheEntryCreatedListener<Integer, String> {
    @Override
    public void onCreated(Iterable<javax.cache.event.CacheEntryEvent<? extends Integer,
        ? extends String>> events) {
      events.forEach(event -> {
        if (event.getKey() == 0) {
          throw new IllegalArgumentException("listener refuses key 0");
        }
      });
    }
  }

  private static void inBothModes(java.util.function.Consumer<CacheManager> test) {
    try (CacheManager local = Managers.fresh()) {
      test.accept(local);
    }
    try (RedisServer redis = RedisServer.start();
        CacheManager shared = Managers.inOwnProvider("faults", Map.of("REDIS_URL", redis.url()))) {
      test.accept(shared);
    }
  }

  private static Cache<Integer, String> readThrough(CacheManager manager,
      boolean failingListener) {
    MutableConfiguration<Integer, String> configuration = new MutableConfiguration<Integer, String>()
        .setCacheLoaderFactory(FailsOnOne::new).setReadThrough(true);
    if (failingListener) {
      configuration.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
          FailsOnZero::new, null, false, true));
    }
    return manager.createCache("c" + System.nanoTime(), configuration);
  }

  @Test
  void aGetAllThatFailsPartWayDeliversItsEventsBeforeItThrows() {
    inBothModes(manager -> {
      Cache<Integer, String> cache = readThrough(manager, true);
      CacheLoaderException failure = assertThrows(CacheLoaderException.class,
          () -> cache.getAll(new LinkedHashSet<>(List.of(0, 1))));
      assertEquals(1, failure.getSuppressed().length, "the listener's failure is kept with it");
      assertInstanceOf(CacheEntryListenerException.class, failure.getSuppressed()[0]);
      assertEquals("v0", cache.get(0), "key 0 was loaded and stored before key 1 failed");
      assertEquals("v2", cache.get(2), "a later, unrelated call does not see key 0's listener");
    });
  }

  @Test
  void afterRemoveAProcessorNeverLoadsTheEntryBack() {
    inBothModes(manager -> {
      Cache<Integer, String> cache = readThrough(manager, false);
      FailsOnOne.CALLS.set(0);
      Supplier<String> loadedThenRemoved = () -> cache.invoke(5, (entry, args) -> {
        assertEquals("v5", entry.getValue(), "an absent entry is loaded");
        entry.remove();
        assertFalse(entry.exists());
        return entry.getValue();
      });
      assertNull(loadedThenRemoved.get());
      assertEquals(1, FailsOnOne.CALLS.get(), "loaded once, not again after remove()");
      assertFalse(cache.containsKey(5), "the net effect: nothing stored");

      cache.put(6, "stored");
      String afterRemovingExisting = cache.invoke(6, (entry, args) -> {
        entry.remove();
        return entry.getValue();
      });
      assertNull(afterRemovingExisting);
      assertEquals(1, FailsOnOne.CALLS.get(), "the same for an entry that existed");
      assertFalse(cache.containsKey(6));

      String setAgain = cache.invoke(7, (entry, args) -> {
        entry.getValue();
        entry.remove();
        entry.setValue("set");
        return entry.getValue();
      });
      assertEquals("set", setAgain, "setValue after remove() stands");
      assertEquals("set", cache.get(7));
    });
  }
}
