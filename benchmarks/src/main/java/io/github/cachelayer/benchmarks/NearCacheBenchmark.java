package io.github.cachelayer.benchmarks;

import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The near cache against its peers, string values:
 * <ul>
 *   <li>{@code nearHit}: reads of 1,000 present keys, every one a hit (for the near cache, a
 *       local copy), against Caffeine's JCache (local by nature): as configured by default
 *       (unbounded: a plain concurrent map) and bounded to the near cache's maximum size (the
 *       same kind of Caffeine cache the near cache keeps its copies in);</li>
 *   <li>{@code mix90_10}: 90% get, 10% put over 10,000 keys drawn from a Zipf distribution
 *       (exponent 0.99, as YCSB), against CacheLayer without near cache, Redisson's JCache and
 *       Jedis's GET / SET.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Jedis's pool, as most of its users still call it
public class NearCacheBenchmark {
  static final int HOT_KEYS = 1_000;
  static final int MIX_KEYS = 10_000;
  private static final int DRAWS = 1 << 16;

  @Param({"cachelayer-redis-near", "cachelayer-redis", "redisson-jcache-tuned",
      "caffeine-jcache", "caffeine-jcache-bounded", "jedis"})
  public String subject;

  private javax.cache.CacheManager manager;
  private Cache<String, String> cache;
  private JedisPool jedis;
  /** Key indices drawn from the Zipf distribution, walked by each thread from its own start. */
  private int[] zipf;
  private String[] values;

  @Setup(Level.Trial)
  public void open() {
    values = new String[MIX_KEYS];
    Map<String, String> all = new HashMap<>();
    for (int i = 0; i < MIX_KEYS; i++) {
      values[i] = (String) Values.of("string", i);
      all.put("k" + i, values[i]);
    }
    zipf = zipf(MIX_KEYS, 0.99, DRAWS, 42);
    if (subject.equals("jedis")) {
      JedisPoolConfig pool = new JedisPoolConfig();
      pool.setMaxTotal(64);
      jedis = new JedisPool(pool, URI.create(Peers.redisUrl()));
      try (Jedis connection = jedis.getResource()) {
        all.forEach(connection::set);
      }
      return;
    }
    Peers.Opened opened = Peers.open(switch (subject) {
      case "cachelayer-redis-near" -> "cachelayer-redis";
      case "caffeine-jcache-bounded" -> "caffeine-jcache";
      default -> subject;
    });
    manager = opened.manager();
    String name = "near-bench";
    if (manager.getCache(name) != null) {
      manager.destroyCache(name);
    }
    if (subject.equals("caffeine-jcache-bounded")) {
      // Bounded as the near cache is: both keep at most MIX_KEYS entries.
      var bounded = new com.github.benmanes.caffeine.jcache.configuration
          .CaffeineConfiguration<String, String>();
      bounded.setTypes(String.class, String.class);
      bounded.setMaximumSize(java.util.OptionalLong.of(MIX_KEYS));
      cache = manager.createCache(name, bounded);
    } else {
      MutableConfiguration<String, String> configuration = subject.equals("cachelayer-redis-near")
          ? new CacheLayerConfiguration<String, String>().setNearCache(
              new NearCacheSettings(MIX_KEYS, java.time.Duration.ofMinutes(10)))
          : new MutableConfiguration<>();
      configuration.setTypes(String.class, String.class);
      cache = manager.createCache(name, opened.style().apply(configuration));
    }
    cache.putAll(all);
  }

  /** {@code count} draws of ranks 0..n-1 with P(rank) proportional to 1 / (rank + 1)^s. */
  static int[] zipf(int n, double s, int count, long seed) {
    double[] cumulative = new double[n];
    double sum = 0;
    for (int rank = 0; rank < n; rank++) {
      sum += 1 / Math.pow(rank + 1, s);
      cumulative[rank] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] draws = new int[count];
    for (int i = 0; i < count; i++) {
      double target = random.nextDouble() * sum;
      int at = java.util.Arrays.binarySearch(cumulative, target);
      draws[i] = Math.min(n - 1, at >= 0 ? at : -at - 1);
    }
    return draws;
  }

  @TearDown(Level.Trial)
  public void close() {
    if (jedis != null) {
      try (Jedis connection = jedis.getResource()) {
        connection.flushAll();
      }
      jedis.close();
      return;
    }
    manager.destroyCache("near-bench");
    manager.close();
  }

  /** Each thread's walk through the draws. */
  @State(Scope.Thread)
  public static class Walk {
    int position = ThreadLocalRandom.current().nextInt(DRAWS);
    int step;
  }

  @Benchmark
  public String nearHit() {
    String key = "k" + ThreadLocalRandom.current().nextInt(HOT_KEYS);
    if (jedis != null) {
      try (Jedis connection = jedis.getResource()) {
        return connection.get(key);
      }
    }
    return cache.get(key);
  }

  @Benchmark
  public String mix90_10(Walk walk) {
    int index = zipf[walk.position];
    walk.position = (walk.position + 1) & (DRAWS - 1);
    String key = "k" + index;
    boolean write = ++walk.step == 10;
    if (write) {
      walk.step = 0;
    }
    if (jedis != null) {
      try (Jedis connection = jedis.getResource()) {
        return write ? connection.set(key, values[index]) : connection.get(key);
      }
    }
    if (write) {
      cache.put(key, values[index]);
      return null;
    }
    return cache.get(key);
  }
}
