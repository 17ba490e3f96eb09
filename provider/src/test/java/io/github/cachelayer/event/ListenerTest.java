package io.github.cachelayer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.RecordingListener;
import java.io.IOError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerTest {
  private final CacheManager manager = Managers.fresh();
  private final Cache<Integer, Integer> cache = manager.createCache("c",
      new MutableConfiguration<Integer, Integer>().setTypes(Integer.class, Integer.class));

  @AfterEach
  void close() {
    manager.close();
  }

  /** Records the values of one key's UPDATED events per key, slowly, to expose reordering. */
  static final class OrderListener implements CacheEntryUpdatedListener<Integer, Integer>,
      CacheEntryCreatedListener<Integer, Integer>, java.io.Serializable {
    final Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }

    private void record(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      for (CacheEntryEvent<? extends Integer, ? extends Integer> event : events) {
        if (event.getValue() % 97 == 0) {
          Thread.yield();
        }
        seen.computeIfAbsent(event.getKey(), k -> new CopyOnWriteArrayList<>()).add(event.getValue());
      }
    }
  }

  @Test
  void asynchronousEventsOfOneKeyArriveInCommitOrder() throws Exception {
    OrderListener listener = new OrderListener();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, false, false));
    int keys = 4;
    int writes = 2_000;
    ExecutorService writers = Executors.newFixedThreadPool(keys);
    for (int key = 0; key < keys; key++) {
      int k = key;
      writers.execute(() -> {
        for (int value = 0; value < writes; value++) {
          cache.put(k, value);
        }
      });
    }
    writers.shutdown();
    assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (listener.seen.values().stream().mapToInt(List::size).sum() < keys * writes
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (int key = 0; key < keys; key++) {
      List<Integer> values = listener.seen.get(key);
      List<Integer> expected = new ArrayList<>();
      for (int value = 0; value < writes; value++) {
        expected.add(value);
      }
      assertEquals(expected, values, "events of key " + key + " in order, none lost");
    }
  }

  @Test
  void synchronousListenerHasItsEventBeforeTheWriteReturns() {
    RecordingListener<Integer, Integer> listener = new RecordingListener<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, true));
    for (int i = 0; i < 200; i++) {
      cache.put(i, i);
      assertEquals(i + 1, listener.events.size(), "event of put " + i + " delivered already");
    }
    cache.put(1, 100);
    CacheEntryEvent<? extends Integer, ? extends Integer> update = listener.events.get(200);
    assertEquals(EventType.UPDATED, update.getEventType());
    assertEquals(100, update.getValue());
    assertEquals(1, update.getOldValue());
    assertTrue(update.isOldValueAvailable());
    cache.remove(1);
    CacheEntryEvent<? extends Integer, ? extends Integer> removal = listener.events.get(201);
    assertEquals(EventType.REMOVED, removal.getEventType());
    assertEquals(100, removal.getOldValue());
  }

  @Test
  void oldValuesAreLeftOutUnlessRequested() {
    RecordingListener<Integer, Integer> listener = new RecordingListener<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, false, true));
    cache.put(1, 1);
    cache.put(1, 2);
    cache.remove(1);
    CacheEntryEvent<? extends Integer, ? extends Integer> update = listener.events.get(1);
    assertNull(update.getOldValue());
    assertEquals(false, update.isOldValueAvailable());
    assertNull(listener.events.get(2).getValue());
  }

  @Test
  void filterDecidesWhatTheListenerSees() {
    RecordingListener<Integer, Integer> listener = new RecordingListener<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener),
        FactoryBuilder.factoryOf(new EvenKeys()), false, true));
    for (int i = 0; i < 10; i++) {
      cache.put(i, i);
    }
    assertEquals(5, listener.events.size());
    listener.events.forEach(event -> assertEquals(0, event.getKey() % 2));
  }

  static final class EvenKeys
      implements javax.cache.event.CacheEntryEventFilter<Integer, Integer>, java.io.Serializable {
    @Override
    public boolean evaluate(CacheEntryEvent<? extends Integer, ? extends Integer> event) {
      return event.getKey() % 2 == 0;
    }
  }

  static final class Failing implements CacheEntryCreatedListener<Integer, Integer>,
      java.io.Serializable {
    final RuntimeException failure;
    final Error error;

    Failing(RuntimeException failure, Error error) {
      this.failure = failure;
      this.error = error;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      if (error != null) {
        throw error;
      }
      throw failure;
    }
  }

  @Test
  void synchronousListenerFailureSurfacesAsListenerExceptionAfterTheWrite() {
    IllegalStateException cause = new IllegalStateException("boom");
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Failing(cause, null)), null, false, true));
    CacheEntryListenerException thrown =
        assertThrows(CacheEntryListenerException.class, () -> cache.put(1, 1));
    assertSame(cause, thrown.getCause());
    assertEquals(1, cache.get(1), "the write itself happened");
  }

  @Test
  void synchronousListenerErrorIsNotWrapped() {
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Failing(null, new IOError(null))), null, false, true));
    assertThrows(IOError.class, () -> cache.put(1, 1));
  }

  @Test
  void asynchronousListenerFailureNeverReachesTheWriter() {
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Failing(new IllegalStateException("boom"), null)),
        null, false, false));
    cache.put(1, 1);
    assertEquals(1, cache.get(1));
  }

  @Test
  void registeringTheSameConfigurationTwiceIsRejected() {
    var configuration = new MutableCacheEntryListenerConfiguration<Integer, Integer>(
        FactoryBuilder.factoryOf(new RecordingListener<Integer, Integer>()), null, false, true);
    cache.registerCacheEntryListener(configuration);
    assertThrows(IllegalArgumentException.class,
        () -> cache.registerCacheEntryListener(configuration));
    cache.deregisterCacheEntryListener(configuration);
    cache.registerCacheEntryListener(configuration);
  }
}
