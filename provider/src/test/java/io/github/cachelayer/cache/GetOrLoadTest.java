package io.github.cachelayer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CacheLayerCache#getOrLoad}: a read that loads a miss with the caller's loader, once per
 * key however many callers miss it at once (across managers in Redis mode, each as another JVM
 * would open it), in fallback mode and on Redis.
 */
class GetOrLoadTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private final List<CacheManager> managers = new ArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    callers.shutdownNow();
    managers.forEach(CacheManager::close);
  }

  private CacheManager manager(String mode) {
    CacheManager manager = mode.equals("redis")
        ? Managers.inOwnProvider("get-or-load", Map.of("REDIS_URL", redis.url()))
        : Managers.fresh();
    managers.add(manager);
    return manager;
  }

  @SuppressWarnings("unchecked")
  private static CacheLayerCache<String, String> cache(CacheManager manager,
      MutableConfiguration<String, String> configuration) {
    Cache<String, String> cache = manager.getCache("books");
    if (cache == null) {
      cache = manager.createCache("books", configuration.setStatisticsEnabled(true));
    }
    return cache.unwrap(CacheLayerCache.class);
  }

  /** One cache seen by two managers (as two JVMs would) in Redis mode; one cache in fallback. */
  private List<CacheLayerCache<String, String>> twoViews(String mode) {
    CacheLayerCache<String, String> first = cache(manager(mode));
    return List.of(first, mode.equals("redis") ? cache(manager(mode)) : first);
  }

  private static CacheLayerCache<String, String> cache(CacheManager manager) {
    return cache(manager, new MutableConfiguration<String, String>());
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void aMissIsLoadedKeptAndCountedAHitIsNotLoaded(String mode) {
    CreatedEvents.SEEN.clear();
    CacheLayerCache<String, String> cache = cache(manager(mode),
        new MutableConfiguration<String, String>().addCacheEntryListenerConfiguration(
            new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(CreatedEvents.class), null, false, true)));
    AtomicInteger loads = new AtomicInteger();
    assertEquals("Dune", cache.getOrLoad("1", key -> {
      loads.incrementAndGet();
      return "Dune";
    }));
    assertEquals("Dune", cache.get("1"), "kept");
    assertEquals("Dune", cache.getOrLoad("1", key -> {
      throw new AssertionError("a hit must not load");
    }));
    assertEquals(1, loads.get());
    assertEquals(List.of("1=Dune"), CreatedEvents.SEEN);
    assertEquals(1, cache.statistics().getCacheMisses());
    assertEquals(2, cache.statistics().getCacheHits());
    assertEquals(1, cache.statistics().getCachePuts(), "the loaded value counts as a put");

    assertNull(cache.getOrLoad("2", key -> null));
    assertFalse(cache.containsKey("2"), "a null load keeps nothing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void aLoadersExceptionReachesTheCallerAsThrownAndKeepsNothing(String mode) {
    CacheLayerCache<String, String> cache = cache(manager(mode));
    IllegalStateException thrown = new IllegalStateException("the catalogue is closed");
    assertSame(thrown, assertThrows(IllegalStateException.class,
        () -> cache.getOrLoad("1", key -> {
          throw thrown;
        })));
    assertFalse(cache.containsKey("1"));
    assertEquals("Dune", cache.getOrLoad("1", key -> "Dune"), "the key is free at once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void aValueTheExpiryPolicyWillNotKeepIsStillReturned(String mode) {
    CacheLayerCache<String, String> cache = cache(manager(mode),
        new MutableConfiguration<String, String>().setExpiryPolicyFactory(
            CreatedExpiryPolicy.factoryOf(Duration.ZERO)));
    assertEquals("Dune", cache.getOrLoad("1", key -> "Dune"));
    assertFalse(cache.containsKey("1"));
  }

  /** Eight callers, half on another manager in Redis mode, miss one key at once: one load. */
  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void concurrentMissesLoadOnce(String mode) throws Exception {
    List<CacheLayerCache<String, String>> views = twoViews(mode);
    CacheLayerCache<String, String> first = views.get(0);
    CacheLayerCache<String, String> second = views.get(1);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      CacheLayerCache<String, String> cache = i % 2 == 0 ? first : second;
      answers.add(CompletableFuture.supplyAsync(() -> {
        await(start);
        return cache.getOrLoad("1", key -> {
          loads.incrementAndGet();
          sleep(300);
          return "Dune";
        });
      }, callers));
    }
    start.countDown();
    for (CompletableFuture<String> answer : answers) {
      assertEquals("Dune", answer.get(30, TimeUnit.SECONDS));
    }
    assertEquals(1, loads.get(), "eight misses, one load");
  }

  /** The first load fails: its caller gets the failure, and exactly one waiter loads instead. */
  /**
   * A load slower than the lease (10 s): its holder renews the lease while it loads, so the
   * other JVM keeps waiting for its value instead of loading too.
   */
  @Test
  @Tag("slow") // a 13 s load
  void aLoadSlowerThanTheLeaseIsStillDoneOnce() throws Exception {
    List<CacheLayerCache<String, String>> views = twoViews("redis");
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch loading = new CountDownLatch(1);
    CompletableFuture<String> slow = CompletableFuture.supplyAsync(() ->
        views.get(0).getOrLoad("1", key -> {
          loads.incrementAndGet();
          loading.countDown();
          sleep(13_000);
          return "Dune";
        }), callers);
    await(loading);
    String waited = views.get(1).getOrLoad("1", key -> {
      loads.incrementAndGet();
      return "another load";
    });
    assertEquals("Dune", waited, "the waiter got the slow load's value");
    assertEquals("Dune", slow.get(30, TimeUnit.SECONDS));
    assertEquals(1, loads.get(), "one load");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void afterAFailedLoadOneWaiterLoads(String mode) throws Exception {
    AtomicInteger loads = new AtomicInteger();
    List<CacheLayerCache<String, String>> views = twoViews(mode);
    CompletableFuture<String> failing = CompletableFuture.supplyAsync(
        () -> views.get(0).getOrLoad("1", key -> {
          loads.incrementAndGet();
          sleep(500);
          throw new IllegalStateException("the catalogue is closed");
        }), callers);
    sleep(150);
    long since = System.nanoTime();
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      waiting.add(CompletableFuture.supplyAsync(() -> views.get(1).getOrLoad("1", key -> {
        loads.incrementAndGet();
        return "Dune";
      }), callers));
    }
    Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> failing.get(30, TimeUnit.SECONDS)).getCause();
    assertEquals("the catalogue is closed", failure.getMessage());
    for (CompletableFuture<String> answer : waiting) {
      assertEquals("Dune", answer.get(30, TimeUnit.SECONDS));
    }
    assertTrue(System.nanoTime() - since < TimeUnit.SECONDS.toNanos(5), "no key held on");
    assertEquals(2, loads.get(), "the failed load, then one other");
  }

  public static final class CreatedEvents
      implements CacheEntryCreatedListener<String, String>, java.io.Serializable {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(event -> SEEN.add(event.getKey() + "=" + event.getValue()));
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
