package io.github.cachelayer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.testing.redis.RedisServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.processor.EntryProcessorResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asynchronous view ({@link AsyncCache}): where its calls run, and that calls waiting for
 * Redis hold no thread. What its operations mean is pinned by the whole TCK run through it
 * ({@code tck-runner}, execution {@code tck-redis-standalone-async-view}).
 */
class AsyncCacheTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private final List<CacheManager> managers = new ArrayList<>();

  @AfterEach
  void close() {
    managers.forEach(CacheManager::close);
  }

  private CacheManager manager(String mode) {
    CacheManager manager = mode.equals("redis")
        ? Managers.inOwnProvider("async-view", Map.of("REDIS_URL", redis.url()))
        : Managers.fresh();
    managers.add(manager);
    return manager;
  }

  @SuppressWarnings("unchecked")
  private static AsyncCache<String, String> async(CacheManager manager,
      MutableConfiguration<String, String> configuration) {
    Cache<String, String> cache = manager.createCache("books",
        configuration.setTypes(String.class, String.class).setStatisticsEnabled(true));
    return cache.unwrap(AsyncCache.class);
  }

  @Test
  void fallbackModeCompletesAtOnceOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    List<Thread> loaders = new CopyOnWriteArrayList<>();
    AsyncCache<String, String> async = async(manager("fallback"),
        new MutableConfiguration<>());
    CompletableFuture<Void> put = async.put("1", "one");
    assertTrue(put.isDone());
    CompletableFuture<String> hit = async.get("1");
    assertTrue(hit.isDone());
    assertEquals("one", hit.join());
    CompletableFuture<String> loaded = async.getOrLoad("2", key -> {
      loaders.add(Thread.currentThread());
      return "two";
    });
    assertTrue(loaded.isDone());
    assertEquals("two", loaded.join());
    assertEquals(List.of(caller), loaders);
    CompletableFuture<Boolean> replaced = async.replace("1", "uno", "one?");
    assertFalse(replaced.join(), "replace compares with the value held");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void operationsMeanWhatTheSynchronousOnesMean(String mode) {
    AsyncCache<String, String> async = async(manager(mode),
        new MutableConfiguration<String, String>()
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    Cache<String, String> cache = async.synchronous();
    assertNull(async.get("1").join());
    assertTrue(async.putIfAbsent("1", "one").join());
    assertFalse(async.putIfAbsent("1", "uno").join());
    assertEquals("one", cache.get("1"), "what the view wrote, the cache reads");
    cache.put("2", "two");
    var statistics = cache.unwrap(CacheLayerCache.class).statistics();
    long hits = statistics.getCacheHits();
    long misses = statistics.getCacheMisses();
    assertEquals("two", async.get("2").join(), "what the cache wrote, the view reads");
    assertNull(async.get("none").join());
    assertEquals(hits + 1, statistics.getCacheHits(), "a hit through the view counts");
    assertEquals(misses + 1, statistics.getCacheMisses(), "a miss through the view counts");
    assertEquals(Map.of("1", "one", "2", "two"), async.getAll(Set.of("1", "2", "3")).join());
    assertEquals("one", async.getAndReplace("1", "uno").join());
    assertTrue(async.replace("1", "uno", "one").join());
    assertEquals("TWO", async.invoke("2", (entry, args) -> {
      entry.setValue(entry.getValue().toUpperCase(java.util.Locale.ROOT));
      return entry.getValue();
    }).join());
    assertTrue(async.remove("2", "TWO").join());
    assertFalse(async.containsKey("2").join());
    CompletionException failed = assertThrows(CompletionException.class,
        () -> async.invoke("1", (entry, args) -> {
          throw new IllegalStateException("the processor's own failure");
        }).join());
    assertInstanceOf(javax.cache.processor.EntryProcessorException.class, failed.getCause());
    assertThrows(NullPointerException.class, () -> async.get(null), "at once, not in the future");
    @SuppressWarnings({"unchecked", "rawtypes"})
    AsyncCache<Object, Object> untyped = (AsyncCache) async;
    for (CompletableFuture<?> wrongType : List.of(untyped.put("k", 42),
        untyped.putIfAbsent(42, "v"), untyped.putAll(Map.of("k", 42)))) {
      CompletionException refused = assertThrows(CompletionException.class, wrongType::join,
          "a wrong type fails the future, as the synchronous operation run for it");
      assertInstanceOf(ClassCastException.class, refused.getCause());
    }
    cache.close();
    assertThrows(IllegalStateException.class, () -> async.get("1"), "closed: at once");
  }

  /**
   * Entry processors started by the view with no thread waiting (one compare-and-set round
   * each) and by the synchronous cache, all on one key at once: a round that meets another
   * writer's change decides again, and no increment is lost.
   */
  @Test
  void concurrentInvokesOnOneKeyLoseNoIncrement() {
    AsyncCache<String, String> async = async(manager("redis"), new MutableConfiguration<>());
    Cache<String, String> cache = async.synchronous();
    cache.put("n", "0");
    javax.cache.processor.EntryProcessor<String, String, Long> increment = (entry, args) -> {
      long next = Long.parseLong(entry.getValue()) + 1;
      entry.setValue(Long.toString(next));
      return next;
    };
    List<CompletableFuture<Long>> results = new ArrayList<>();
    Thread synchronous = new Thread(() -> {
      for (int i = 0; i < 300; i++) {
        cache.invoke("n", increment);
      }
    });
    synchronous.start();
    for (int i = 0; i < 1_000; i++) {
      results.add(async.invoke("n", increment));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .orTimeout(60, TimeUnit.SECONDS).join();
    try {
      synchronous.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertEquals("1300", cache.get("n"));
    assertEquals(1_000, results.stream().map(CompletableFuture::join).distinct().count(),
        "each asynchronous increment saw a count of its own");
  }

  /** Loaders, writers and listeners never run on the Redis client's I/O threads. */
  @Test
  void redisModeRunsApplicationCodeOffTheClientsThreads() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    MutableConfiguration<String, String> configuration = new MutableConfiguration<>();
    configuration.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new RecordingListener(threads)), null, false, true));
    AsyncCache<String, String> async = async(manager("redis"), configuration);
    async.put("1", "one").join();
    assertEquals("one", async.get("1").thenApply(value -> {
      threads.add(Thread.currentThread().getName());
      return value;
    }).join());
    assertEquals("two", async.getOrLoad("2", key -> {
      threads.add(Thread.currentThread().getName());
      return "two";
    }).join());
    assertEquals(4, threads.size(), threads.toString()); // 2 CREATED, a stage, a loader
    for (String name : threads) {
      assertFalse(name.contains("netty") || name.contains("redisson"), name);
    }
  }

  /** Records the thread each CREATED event is delivered on. */
  static final class RecordingListener implements CacheEntryCreatedListener<String, String>,
      java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final transient List<String> threads;

    RecordingListener(List<String> threads) {
      this.threads = threads;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(event -> threads.add(Thread.currentThread().getName()));
    }
  }

  /**
   * 10,000 gets pending at once on a frozen Redis: no thread is held for any of them; each is
   * answered once Redis runs again.
   */
  @Test
  @Tag("fault") // redis-server frozen with SIGSTOP
  void pendingGetsHoldNoThreads() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (RedisServer server = RedisServer.start()) {
      CacheManager manager = Managers.inOwnProvider("async-frozen",
          Map.of("REDIS_URL", server.url()), Map.of("timeout", "30s"));
      managers.add(manager);
      AsyncCache<String, String> async = async(manager, new MutableConfiguration<>());
      for (int i = 0; i < 100; i++) {
        async.synchronous().put("k" + i, "v" + i);
      }
      async.get("k0").join(); // connections warmed up
      int before = threads.getThreadCount();
      List<CompletableFuture<String>> gets = new ArrayList<>();
      server.pause();
      try {
        for (int i = 0; i < 10_000; i++) {
          gets.add(async.get("k" + i % 100));
        }
        assertNoThreadWaits(threads, before, gets, "10,000 gets");
      } finally {
        server.resume();
      }
      CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).orTimeout(30,
          TimeUnit.SECONDS).join();
      for (int i = 0; i < gets.size(); i++) {
        assertEquals("v" + i % 100, gets.get(i).join());
      }
    }
  }

  /**
   * 5,000 writes and removals pending at once on a frozen Redis (put, getAndPut, putIfAbsent,
   * replace, remove), 1,000 invoke, 1,000 containsKey, and 100 each of getAll, putAll,
   * removeAll, invokeAll and getOrLoad of a present key: no thread is held for any of them;
   * each answers as the synchronous operation would once Redis runs again, the cache holds
   * what they wrote, and the statistics count them.
   */
  @Test
  @Tag("fault") // redis-server frozen with SIGSTOP
  void pendingWritesHoldNoThreads() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (RedisServer server = RedisServer.start()) {
      CacheManager manager = Managers.inOwnProvider("async-frozen-writes",
          Map.of("REDIS_URL", server.url()), Map.of("timeout", "30s"));
      managers.add(manager);
      AsyncCache<String, String> async = async(manager, new MutableConfiguration<String, String>()
          .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
      Cache<String, String> cache = async.synchronous();
      int keys = 1_000;
      for (int i = 0; i < keys; i++) {
        cache.put("held" + i, "old" + i);
        cache.put("stable" + i, "s" + i);
        if (i % 10 == 0) {
          cache.put("gone" + i, "g" + i);
          cache.put("measured" + i, "m" + i);
        }
      }
      cache.put("stable" + keys, "s" + keys);
      async.put("warm", "up").join(); // connections warmed up
      var statistics = cache.unwrap(CacheLayerCache.class).statistics();
      long putsBefore = statistics.getCachePuts();
      int before = threads.getThreadCount();
      List<CompletableFuture<?>> puts = new ArrayList<>();
      List<CompletableFuture<String>> previous = new ArrayList<>();
      List<CompletableFuture<Boolean>> created = new ArrayList<>();
      List<CompletableFuture<Boolean>> replaced = new ArrayList<>();
      List<CompletableFuture<Boolean>> removed = new ArrayList<>();
      List<CompletableFuture<Map<String, String>>> readsOfAll = new ArrayList<>();
      List<CompletableFuture<String>> loadedHits = new ArrayList<>();
      List<CompletableFuture<String>> invoked = new ArrayList<>();
      List<CompletableFuture<Boolean>> contained = new ArrayList<>();
      List<CompletableFuture<Void>> putsOfAll = new ArrayList<>();
      List<CompletableFuture<Void>> removalsOfAll = new ArrayList<>();
      List<CompletableFuture<Map<String, EntryProcessorResult<Integer>>>> invocationsOfAll =
          new ArrayList<>();
      server.pause();
      try {
        for (int i = 0; i < keys; i++) {
          puts.add(async.put("new" + i, "v" + i));
          previous.add(async.getAndPut("held" + i, "got" + i));
          created.add(async.putIfAbsent("absent" + i, "a" + i));
          replaced.add(async.replace("absent" + i, "a" + i, "b" + i));
          removed.add(async.remove("new" + i));
          invoked.add(async.invoke("stable" + i, (entry, args) -> {
            String found = entry.getValue();
            entry.setValue(found + "+");
            return found;
          }));
          contained.add(async.containsKey("stable" + (i + 1)));
          if (i % 10 == 0) {
            putsOfAll.add(async.putAll(Map.of("bulk" + i, "x" + i, "bulk" + (i + 1), "y" + i)));
            removalsOfAll.add(async.removeAll(Set.of("gone" + i, "never" + i)));
            invocationsOfAll.add(async.invokeAll(Set.of("measured" + i, "none" + i),
                (entry, args) -> entry.exists() ? entry.getValue().length() : null));
            readsOfAll.add(async.getAll(Set.of("stable" + i, "stable" + (i + 1), "none" + i)));
            loadedHits.add(async.getOrLoad("measured" + i, missing -> {
              throw new AssertionError("a hit was loaded: " + missing);
            }));
          }
        }
        List<CompletableFuture<?>> all = new ArrayList<>(puts);
        all.addAll(readsOfAll);
        all.addAll(loadedHits);
        all.addAll(invoked);
        all.addAll(contained);
        all.addAll(putsOfAll);
        all.addAll(removalsOfAll);
        all.addAll(invocationsOfAll);
        all.addAll(previous);
        all.addAll(created);
        all.addAll(replaced);
        all.addAll(removed);
        assertNoThreadWaits(threads, before, all, "the writes");
      } finally {
        server.resume();
      }
      for (int i = 0; i < keys; i++) {
        puts.get(i).orTimeout(30, TimeUnit.SECONDS).join();
        assertEquals("old" + i, previous.get(i).orTimeout(30, TimeUnit.SECONDS).join());
        assertTrue(created.get(i).orTimeout(30, TimeUnit.SECONDS).join(), "absent" + i);
        assertTrue(replaced.get(i).orTimeout(30, TimeUnit.SECONDS).join(), "absent" + i);
        assertTrue(removed.get(i).orTimeout(30, TimeUnit.SECONDS).join(), "new" + i);
        assertEquals("got" + i, cache.get("held" + i));
        assertEquals("b" + i, cache.get("absent" + i));
        assertFalse(cache.containsKey("new" + i));
      }
      for (int i = 0; i < putsOfAll.size(); i++) {
        int k = i * 10;
        putsOfAll.get(i).orTimeout(30, TimeUnit.SECONDS).join();
        removalsOfAll.get(i).orTimeout(30, TimeUnit.SECONDS).join();
        assertEquals("x" + k, cache.get("bulk" + k));
        assertEquals("y" + k, cache.get("bulk" + (k + 1)));
        assertFalse(cache.containsKey("gone" + k), "removeAll removed it");
        Map<String, EntryProcessorResult<Integer>> lengths =
            invocationsOfAll.get(i).orTimeout(30, TimeUnit.SECONDS).join();
        assertEquals(Set.of("measured" + k), lengths.keySet(), "a null result is left out");
        assertEquals(("m" + k).length(), lengths.get("measured" + k).get());
        assertEquals("m" + k, loadedHits.get(i).orTimeout(30, TimeUnit.SECONDS).join());
      }
      for (int i = 0; i < readsOfAll.size(); i++) {
        int k = i * 10;
        // Sent while Redis was frozen: before any invoke's write, which awaits its read's answer.
        assertEquals(Map.of("stable" + k, "s" + k, "stable" + (k + 1), "s" + (k + 1)),
            readsOfAll.get(i).orTimeout(30, TimeUnit.SECONDS).join());
      }
      for (int i = 0; i < keys; i++) {
        assertEquals("s" + i, invoked.get(i).orTimeout(30, TimeUnit.SECONDS).join());
        assertEquals("s" + i + "+", cache.get("stable" + i), "the entry processor wrote");
        assertTrue(contained.get(i).orTimeout(30, TimeUnit.SECONDS).join(), "stable" + (i + 1));
      }
      assertEquals(putsBefore + 5L * keys + 2L * putsOfAll.size(), statistics.getCachePuts(),
          "put, getAndPut, putIfAbsent, replace and the processor's setValue each count one put, "
              + "putAll one per entry");
    }
  }

  /**
   * Frozen past the command timeout: every pending get ends (the outage policy's failure, the
   * breaker failing the rest at once), none hangs, and the threads that wait stay bounded.
   */
  @Test
  @Tag("fault") // redis-server frozen with SIGSTOP
  void getsPendingPastTheTimeoutAllEnd() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (RedisServer server = RedisServer.start()) {
      CacheManager manager = Managers.inOwnProvider("async-timeout",
          Map.of("REDIS_URL", server.url()), Map.of("on-outage", "fail", "timeout", "500ms",
              "retries", "0", "breaker-failures", "3", "breaker-open-for", "2s"));
      managers.add(manager);
      AsyncCache<String, String> async = async(manager, new MutableConfiguration<>());
      async.put("k", "v").join();
      async.get("k").join();
      int before = threads.getThreadCount();
      List<CompletableFuture<String>> gets = new ArrayList<>();
      int peak = before;
      server.pause();
      try {
        for (int i = 0; i < 10_000; i++) {
          gets.add(async.get("k"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!gets.stream().allMatch(CompletableFuture::isDone)
            && System.nanoTime() < deadline) {
          peak = Math.max(peak, threads.getThreadCount());
          sleep(50);
        }
      } finally {
        server.resume();
      }
      assertEquals(0, gets.stream().filter(get -> !get.isDone()).count(),
          "gets still pending 20 s into the outage");
      for (CompletableFuture<String> get : gets) {
        CompletionException failure = assertThrows(CompletionException.class, get::join);
        assertInstanceOf(CacheException.class, failure.getCause());
      }
      assertTrue(peak <= before + io.github.cachelayer.util.WaitingThreads.PLATFORM_THREADS + 8,
          "threads: " + before + " before, at most " + peak + " during");
    }
  }

  /**
   * A second into a freeze with {@code pending} calls made: none has ended, the live threads
   * grew by 4 at most, and none of them waits in a call to Redis.
   */
  private static void assertNoThreadWaits(ThreadMXBean threads, int before,
      List<? extends CompletableFuture<?>> pending, String what) {
    sleep(1_000);
    assertTrue(pending.stream().noneMatch(CompletableFuture::isDone), "Redis is frozen");
    int during = threads.getThreadCount();
    assertTrue(during <= before + 4, "threads: " + before + " before, " + during + " with "
        + what + " pending");
    assertEquals(List.of(), waitingForRedis(threads), "threads waiting for Redis");
  }

  /** Threads in a CacheLayer call to Redis now (a waiting one has RedisLink on its stack). */
  private static List<String> waitingForRedis(ThreadMXBean threads) {
    List<String> waiting = new ArrayList<>();
    for (java.lang.management.ThreadInfo thread : threads.dumpAllThreads(false, false)) {
      for (StackTraceElement frame : thread.getStackTrace()) {
        if (frame.getClassName().startsWith("io.github.cachelayer.redis.link.RedisLink")) {
          waiting.add(thread.getThreadName());
          break;
        }
      }
    }
    return waiting;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void unwrapsToTheSameView() {
    Cache<String, String> cache = manager("fallback").createCache("v",
        new MutableConfiguration<>());
    assertSame(cache.unwrap(AsyncCache.class), cache.unwrap(AsyncCache.class));
    assertSame(cache, cache.unwrap(AsyncCache.class).synchronous());
  }
}
