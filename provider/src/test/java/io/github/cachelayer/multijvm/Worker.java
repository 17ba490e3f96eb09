package io.github.cachelayer.multijvm;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * One JVM of a multi-JVM test, run as {@code java ... Worker <redis-url> <task> <args...>}. Prints
 * its results on stdout, one "RESULT ..." line.
 */
public final class Worker {
  private Worker() {}

  public static void main(String[] args) throws Exception {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, Map.of("REDIS_URL", args[0]));
    CacheManager manager = new CacheLayerCachingProvider().getCacheManager(
        URI.create("multi-jvm"), Worker.class.getClassLoader(), properties);
    try {
      switch (args[1]) {
        case "increment" -> increment(manager, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        case "write" -> write(manager, Integer.parseInt(args[2]));
        case "listen" -> listen(manager, Integer.parseInt(args[2]));
        case "load" -> load(manager, args[0], Integer.parseInt(args[2]));
        default -> throw new IllegalArgumentException(args[1]);
      }
    } finally {
      manager.close();
    }
    System.exit(0);
  }

  private static Cache<String, Integer> counters(CacheManager manager) {
    Cache<String, Integer> cache = manager.getCache("counters");
    return cache != null ? cache : manager.createCache("counters", new MutableConfiguration<>());
  }

  /** threads × count increments of one counter through invoke. */
  private static void increment(CacheManager manager, int threads, int count) throws Exception {
    io.github.cachelayer.testing.Increments.concurrently(List.of(counters(manager)), threads,
        count);
    System.out.println("RESULT done");
  }

  /** threads that all read one absent key through a slow loader; prints what they read. */
  private static void load(CacheManager manager, String url, int threads) throws Exception {
    URI redis = URI.create(url);
    Cache<String, String> cache = manager.createCache("loaded",
        new MutableConfiguration<String, String>().setReadThrough(true).setCacheLoaderFactory(
            FactoryBuilder.factoryOf(new SlowLoader(redis.getHost(), redis.getPort()))));
    List<String> values = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread reader = new Thread(() -> values.add(cache.get("hot")));
      readers.add(reader);
      reader.start();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    System.out.println("RESULT " + values);
  }

  /** Counts its calls in Redis (shared by every JVM) and takes a second, as a database might. */
  static final class SlowLoader implements javax.cache.integration.CacheLoader<String, String>,
      java.io.Serializable {
    final String host;
    final int port;

    SlowLoader(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public String load(String key) {
      try (var resp = new io.github.cachelayer.testing.redis.Resp(host, port, 5_000)) {
        resp.call("INCR", "loader-calls");
        Thread.sleep(1_000);
        return "loaded " + key;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> result = new java.util.HashMap<>();
      keys.forEach(key -> result.put(key, load(key)));
      return result;
    }
  }

  /** count puts, then count updates, then count removals of keys e0..e(count-1). */
  private static void write(CacheManager manager, int count) {
    Cache<String, Integer> cache = counters(manager);
    for (int i = 0; i < count; i++) {
      cache.put("e" + i, i);
    }
    for (int i = 0; i < count; i++) {
      cache.put("e" + i, i + 1);
    }
    for (int i = 0; i < count; i++) {
      cache.remove("e" + i);
    }
    System.out.println("RESULT done");
  }

  /** Registers a listener, says READY, and reports what it received once 3 × count arrived. */
  private static void listen(CacheManager manager, int count) throws Exception {
    Cache<String, Integer> cache = counters(manager);
    Counting listener = new Counting(3 * count);
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, false));
    System.out.println("READY");
    System.out.flush();
    boolean all = listener.latch.await(60, TimeUnit.SECONDS);
    System.out.println("RESULT all=" + all + " created=" + listener.created + " updated="
        + listener.updated + " removed=" + listener.removed + " oldValuesRight=" + listener.oldOk);
  }

  static final class Counting implements CacheEntryCreatedListener<String, Integer>,
      CacheEntryUpdatedListener<String, Integer>, CacheEntryRemovedListener<String, Integer>,
      java.io.Serializable {
    final transient CountDownLatch latch;
    int created;
    int updated;
    int removed;
    boolean oldOk = true;

    Counting(int expected) {
      latch = new CountDownLatch(expected);
    }

    @Override
    public synchronized void onCreated(
        Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> {
        created++;
        latch.countDown();
      });
    }

    @Override
    public synchronized void onUpdated(
        Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> {
        updated++;
        oldOk &= e.getOldValue() != null && e.getOldValue() + 1 == e.getValue();
        latch.countDown();
      });
    }

    @Override
    public synchronized void onRemoved(
        Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> {
        removed++;
        oldOk &= e.getOldValue() != null;
        latch.countDown();
      });
    }
  }
}
