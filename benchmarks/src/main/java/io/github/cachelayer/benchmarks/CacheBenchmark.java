package io.github.cachelayer.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.processor.EntryProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JCache operations on every provider, through the standard API only. Keys k0..k999 are present
 * before each trial; misses ask for keys that never exist.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheBenchmark {
  static final int KEYS = 1_000;

  @Param({"cachelayer-redis", "redisson-jcache-tuned", "redisson-jcache-default",
      "cachelayer-fallback", "caffeine-jcache"})
  public String provider;

  @Param({"string", "pojo"})
  public String value;

  private CacheManager manager;
  private Cache<String, Object> plain;
  private Cache<String, Object> created;
  private Cache<String, Object> accessed;
  private Cache<String, Integer> counters;
  private Object[] values;
  private final AtomicInteger threads = new AtomicInteger();

  private static final EntryProcessor<String, Integer, Integer> INCREMENT = (entry, args) -> {
    int next = entry.exists() ? entry.getValue() + 1 : 1;
    entry.setValue(next);
    return next;
  };

  @Setup(Level.Trial)
  public void open() {
    Peers.Opened opened = Peers.open(provider);
    manager = opened.manager();
    String suffix = "-" + value;
    plain = cache(opened, "plain" + suffix, new MutableConfiguration<>());
    created = cache(opened, "created" + suffix, new MutableConfiguration<String, Object>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10))));
    accessed = cache(opened, "accessed" + suffix, new MutableConfiguration<String, Object>()
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10))));
    counters = cache(opened, "counters" + suffix, new MutableConfiguration<>());
    values = new Object[KEYS];
    Map<String, Object> all = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      values[i] = Values.of(value, i);
      all.put("k" + i, values[i]);
    }
    plain.putAll(all);
    accessed.putAll(all);
  }

  private <K, V> Cache<K, V> cache(Peers.Opened opened, String name,
      MutableConfiguration<K, V> configuration) {
    Cache<K, V> existing = opened.manager().getCache(name);
    if (existing != null) {
      opened.manager().destroyCache(name);
    }
    return opened.manager().createCache(name, opened.style().apply(configuration));
  }

  @TearDown(Level.Trial)
  public void close() {
    for (String name : manager.getCacheNames()) {
      manager.destroyCache(name);
    }
    manager.close();
  }

  /** Per-thread keys for the bulk operations, present at the start: threads do not share them. */
  @State(Scope.Thread)
  public static class ThreadKeys {
    Set<String> hundred;
    Map<String, Object> hundredEntries;
    String counter;

    @Setup(Level.Trial)
    public void setUp(CacheBenchmark benchmark) {
      int thread = benchmark.threads.incrementAndGet();
      hundred = new LinkedHashSet<>();
      hundredEntries = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        String key = "t" + thread + "-" + i;
        hundred.add(key);
        hundredEntries.put(key, benchmark.values[i]);
      }
      counter = "counter-" + thread;
      // getAll100 reads hits, and removeAll100 removes present entries on its first call.
      benchmark.plain.putAll(hundredEntries);
    }
  }

  private static int index() {
    return ThreadLocalRandom.current().nextInt(KEYS);
  }

  @Benchmark
  public Object getHit() {
    return plain.get("k" + index());
  }

  @Benchmark
  public Object getMiss() {
    return plain.get("absent-" + index());
  }

  @Benchmark
  public void put() {
    int i = index();
    plain.put("k" + i, values[i]);
  }

  @Benchmark
  public void putCreatedExpiry() {
    int i = index();
    created.put("k" + i, values[i]);
  }

  @Benchmark
  public Object getAccessedExpiry() {
    return accessed.get("k" + index());
  }

  @Benchmark
  public boolean putIfAbsent() {
    int i = index();
    return plain.putIfAbsent("k" + i, values[i]);
  }

  @Benchmark
  public boolean replace() {
    int i = index();
    return plain.replace("k" + i, values[i]);
  }

  /** Removes a key that is not there: the cost of the removal path without emptying the cache. */
  @Benchmark
  public boolean removeMiss() {
    return plain.remove("absent-" + index());
  }

  @Benchmark
  public Integer invokeIncrement(ThreadKeys keys) {
    return counters.invoke(keys.counter, INCREMENT);
  }

  @Benchmark
  public Map<String, Object> getAll100(ThreadKeys keys) {
    return plain.getAll(keys.hundred);
  }

  @Benchmark
  public void putAll100(ThreadKeys keys) {
    plain.putAll(keys.hundredEntries);
  }

  @Benchmark
  public void removeAll100(ThreadKeys keys) {
    plain.removeAll(keys.hundred);
  }
}
