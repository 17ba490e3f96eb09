package io.github.cachelayer.benchmarks;

import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.springframework.cache.Cache;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Spring's cache abstraction, as a Spring Boot application meets it, on each store with its
 * defaults: CacheLayer through Spring's {@link JCacheCacheManager} (what the starter sets up),
 * the same with a near cache, and Spring Data Redis's {@link RedisCacheManager} on Lettuce (what
 * {@code spring.cache.type=redis} sets up), with immediate writes and with its default
 * asynchronous writes (a put returns before Redis has the value). A 5-field Serializable
 * value, 16,384 keys, every key written before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpringCacheBenchmark {
  static final int KEYS = 16_384;

  @Param({"cachelayer", "cachelayer-near", "spring-data-redis-immediate",
      "spring-data-redis-default"})
  public String store;

  private CacheManager jcache;
  private LettuceConnectionFactory lettuce;
  private Cache cache;
  private Object[] values;

  @Setup(Level.Trial)
  public void open() {
    switch (store) {
      case "cachelayer", "cachelayer-near" -> {
        jcache = Peers.open("cachelayer-defaults").manager();
        if (jcache.getCache("spring") != null) {
          jcache.destroyCache("spring");
        }
        jcache.createCache("spring", store.equals("cachelayer-near")
            ? new CacheLayerConfiguration<>().setNearCache(
                new NearCacheSettings(KEYS, java.time.Duration.ofMinutes(10)))
            : new MutableConfiguration<>());
        JCacheCacheManager spring = new JCacheCacheManager(jcache);
        spring.afterPropertiesSet();
        cache = spring.getCache("spring");
      }
      case "spring-data-redis-immediate", "spring-data-redis-default" -> {
        URI url = URI.create(Peers.redisUrl());
        lettuce = new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
        lettuce.afterPropertiesSet();
        lettuce.start();
        boolean immediate = store.endsWith("immediate");
        RedisCacheManager spring = RedisCacheManager
            .builder(RedisCacheWriter.create(lettuce, writer -> writer.immediateWrites(immediate)))
            .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig())
            .build();
        spring.afterPropertiesSet();
        cache = spring.getCache("spring");
      }
      default -> throw new IllegalArgumentException(store);
    }
    values = new Object[KEYS];
    for (int i = 0; i < KEYS; i++) {
      values[i] = Values.of("pojo", i);
      cache.put(key(i), values[i]);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (jcache != null) {
      jcache.close();
    }
    if (lettuce != null) {
      lettuce.destroy();
    }
  }

  private static String key(int i) {
    return "k" + i;
  }

  @Benchmark
  public Object get() {
    int i = ThreadLocalRandom.current().nextInt(KEYS);
    Cache.ValueWrapper hit = cache.get(key(i));
    if (hit == null) {
      throw new IllegalStateException("key " + i + " missing from " + store);
    }
    return hit.get();
  }

  @Benchmark
  public void put() {
    int i = ThreadLocalRandom.current().nextInt(KEYS);
    cache.put(key(i), values[i]);
  }

  /** 90% gets, 10% puts, over the same keys. */
  @Benchmark
  public Object mix90_10() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int i = random.nextInt(KEYS);
    if (random.nextInt(10) == 0) {
      cache.put(key(i), values[i]);
      return null;
    }
    return cache.get(key(i));
  }
}
