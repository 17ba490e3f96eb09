package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.RecordingListener;
import io.github.cachelayer.testing.redis.Monitor;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listeners in one JVM see the writes of another (two providers stand in for two JVMs). */
class RedisEventsTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private final List<CacheManager> managers = new ArrayList<>();

  @AfterEach
  void close() {
    managers.forEach(CacheManager::close);
  }

  private Cache<String, String> cache() {
    CacheManager manager = Managers.inOwnProvider("events", Map.of("REDIS_URL", redis.url()));
    managers.add(manager);
    return manager.createCache("c", new MutableConfiguration<>());
  }

  private static void await(List<?> events, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Until the writing JVM has heard of a listener elsewhere (through the control channel). */
  private static void awaitOthersListen(Cache<String, String> writing) {
    io.github.cachelayer.testing.Conditions.await("the writer hears of the listener",
        () -> writing.unwrap(RedisStore.class).othersListen());
  }

  @Test
  void anotherJvmsWritesReachThisJvmsListenerInOrderWithOldValues() throws Exception {
    Cache<String, String> listening = cache();
    Cache<String, String> writing = cache();
    RecordingListener<String, String> listener = new RecordingListener<>();
    listening.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, false));
    // Other JVMs learn of a new registration through the control channel, a moment later.
    awaitOthersListen(writing);
    writing.put("k", "v1");
    writing.put("k", "v2");
    writing.remove("k");
    await(listener.events, 3);
    List<EventType> types = listener.events.stream().map(CacheEntryEvent::getEventType)
        .collect(Collectors.toList());
    assertEquals(List.of(EventType.CREATED, EventType.UPDATED, EventType.REMOVED), types);
    assertEquals("v1", listener.events.get(1).getOldValue());
    assertEquals("v2", listener.events.get(1).getValue());
    assertEquals("v2", listener.events.get(2).getOldValue());
  }

  @Test
  void ownWritesAreDeliveredOnceNotAgainThroughRedis() throws Exception {
    Cache<String, String> cache = cache();
    RecordingListener<String, String> listener = new RecordingListener<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, false, true));
    cache.put("a", "1");
    assertEquals(1, listener.events.size(), "synchronous: delivered before put returned");
    // A write of another JVM, published after ours on the same channel, arrives after it would.
    Cache<String, String> other = cache();
    awaitOthersListen(other);
    other.put("b", "2");
    await(listener.events, 2);
    assertEquals(List.of("a", "b"), listener.events.stream().map(CacheEntryEvent::getKey)
        .collect(Collectors.toList()), "our own write was not delivered again");
  }

  @Test
  void nothingIsPublishedWhileNobodyListens() throws Exception {
    Cache<String, String> cache = cache();
    try (Monitor monitor = new Monitor(redis.server())) {
      monitor.clear();
      cache.put("a", "1");
      cache.remove("a");
      List<String> commands = monitor.commands();
      assertTrue(commands.stream().noneMatch(line -> line.contains("\"PUBLISH\"")),
          commands.toString());
      RecordingListener<String, String> listener = new RecordingListener<>();
      var registration = new MutableCacheEntryListenerConfiguration<String, String>(
          FactoryBuilder.factoryOf(listener), null, false, false);
      cache().registerCacheEntryListener(registration);
      awaitOthersListen(cache);
      monitor.clear();
      cache.put("b", "2");
      assertTrue(monitor.commands().stream().anyMatch(line -> line.contains("\"PUBLISH\"")),
          "publishes once another JVM listens");
    }
  }
}
