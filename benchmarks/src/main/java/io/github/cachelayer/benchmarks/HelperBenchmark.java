package io.github.cachelayer.benchmarks;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.grid.jcache.Bucket4jJCache;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.session.SessionManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
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
import redis.clients.jedis.Pipeline;

/**
 * The helpers against what a developer would write by hand on a raw client, on one Redis:
 * <ul>
 *   <li>{@code tryAcquire}: CacheLayer's fixed-window {@link RateLimiter} (one script) against
 *       the original's INCR + PEXPIRE, pipelined, with Lettuce and Jedis; and Bucket4j's JCache
 *       proxy on CacheLayer (its entry processor through the general invoke path). 1,000
 *       users, so no key is hot.</li>
 *   <li>{@code sessionGet}: {@link SessionManager#get} (read and extend, one script) against
 *       GET + PEXPIRE, pipelined.</li>
 *   <li>{@code hotKey}: every thread on one Bucket4j bucket (never empty, so every call writes):
 *       CacheLayer's combined compare-and-set path under contention.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Jedis's pool, as most of its users still call it
public class HelperBenchmark {
  static final int USERS = 1_000;

  @Param({"cachelayer", "lettuce", "jedis", "bucket4j-on-cachelayer"})
  public String client;

  private CacheManager manager;
  private RateLimiter limiter;
  private SessionManager sessions;
  private String[] sessionIds;
  private BucketProxy[] buckets;
  private BucketProxy hotBucket;
  private RedisClient lettuce;
  private StatefulRedisConnection<String, String> lettuceConnection;
  private RedisAsyncCommands<String, String> lettuceCommands;
  private JedisPool jedis;
  private String[] users;

  @Setup(Level.Trial)
  public void open() {
    users = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      users[i] = "user_" + i + ":/api/search";
    }
    java.net.URI url = java.net.URI.create(Peers.redisUrl());
    switch (client) {
      case "cachelayer", "bucket4j-on-cachelayer" -> {
        manager = Peers.open("cachelayer-redis").manager();
        for (String name : List.of("rate", "session", "session-index", "buckets")) {
          if (manager.getCache(name) != null) {
            manager.destroyCache(name);
          }
        }
        limiter = RateLimiter.create(manager, "rate",
            RateLimit.fixedWindow(Long.MAX_VALUE / (1L << 40), Duration.ofMinutes(1)));
        sessions = SessionManager.builder(manager).build();
        sessionIds = new String[USERS];
        for (int i = 0; i < USERS; i++) {
          sessionIds[i] = sessions.create("user_" + i, Map.of("role", "admin", "n", i));
        }
        Cache<String, byte[]> cache = manager.createCache("buckets",
            new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));
        var proxy = Bucket4jJCache.entryProcessorBasedBuilder(cache).build();
        BucketConfiguration configuration = BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(1L << 40).refillGreedy(1L << 40, Duration.ofDays(365)))
            .build();
        buckets = new BucketProxy[USERS];
        for (int i = 0; i < USERS; i++) {
          buckets[i] = proxy.builder().build(users[i], () -> configuration);
        }
        hotBucket = proxy.builder().build("hot", () -> configuration);
      }
      case "lettuce" -> {
        lettuce = RedisClient.create(url.toString());
        lettuceConnection = lettuce.connect(StringCodec.UTF8);
        lettuceCommands = lettuceConnection.async();
        for (int i = 0; i < USERS; i++) {
          lettuceConnection.sync().set("session:" + i, session(i));
        }
      }
      case "jedis" -> {
        JedisPoolConfig pool = new JedisPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        jedis = new JedisPool(pool, url.getHost(), url.getPort());
        try (Jedis connection = jedis.getResource()) {
          for (int i = 0; i < USERS; i++) {
            connection.set("session:" + i, session(i));
          }
        }
      }
      default -> throw new IllegalArgumentException(client);
    }
  }

  /** What a hand-written session holds: the same two attributes, as JSON text. */
  private static String session(int i) {
    return "{\"user\":\"user_" + i + "\",\"role\":\"admin\",\"n\":" + i + "}";
  }

  @TearDown(Level.Trial)
  public void close() {
    if (manager != null) {
      manager.close();
    }
    if (lettuceConnection != null) {
      lettuceConnection.close();
      lettuce.shutdown();
    }
    if (jedis != null) {
      jedis.close();
    }
  }

  private static int user() {
    return ThreadLocalRandom.current().nextInt(USERS);
  }

  @Benchmark
  public Object tryAcquire() throws Exception {
    int user = user();
    return switch (client) {
      case "cachelayer" -> limiter.tryAcquire(users[user]).allowed();
      case "bucket4j-on-cachelayer" -> buckets[user].tryConsume(1);
      case "lettuce" -> {
        String key = "rate:" + users[user] + ":" + System.currentTimeMillis() / 60_000;
        RedisFuture<Long> count = lettuceCommands.incr(key);
        RedisFuture<Boolean> expiry = lettuceCommands.pexpire(key, 60_000);
        expiry.get();
        yield count.get();
      }
      case "jedis" -> {
        String key = "rate:" + users[user] + ":" + System.currentTimeMillis() / 60_000;
        try (Jedis connection = jedis.getResource()) {
          Pipeline pipeline = connection.pipelined();
          var count = pipeline.incr(key);
          pipeline.pexpire(key, 60_000);
          pipeline.sync();
          yield count.get();
        }
      }
      default -> throw new IllegalStateException(client);
    };
  }

  @Benchmark
  public Object sessionGet() throws Exception {
    int user = user();
    return switch (client) {
      case "cachelayer", "bucket4j-on-cachelayer" -> sessions.get(sessionIds[user]).orElseThrow();
      case "lettuce" -> {
        String key = "session:" + user;
        RedisFuture<String> value = lettuceCommands.get(key);
        RedisFuture<Boolean> expiry = lettuceCommands.pexpire(key, 3_600_000);
        expiry.get();
        yield value.get();
      }
      case "jedis" -> {
        String key = "session:" + user;
        try (Jedis connection = jedis.getResource()) {
          Pipeline pipeline = connection.pipelined();
          var value = pipeline.get(key);
          pipeline.pexpire(key, 3_600_000);
          pipeline.sync();
          yield value.get();
        }
      }
      default -> throw new IllegalStateException(client);
    };
  }

  @Benchmark
  public Object hotKey() {
    if (hotBucket == null) {
      throw new IllegalStateException("hotKey measures Bucket4j on CacheLayer only");
    }
    return hotBucket.tryConsume(1);
  }
}
