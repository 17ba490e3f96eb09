package io.github.cachelayer.helpers;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.grid.jcache.Bucket4jJCache;
import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * One JVM hammering one rate limit, as a replica of a service would: {@code java ... LimiterNode
 * <helper|bucket4j> <threads> <attempts per thread> <key> [limit, default 1000]}, Redis from REDIS_URL. Prints READY,
 * waits for GO on stdin (so that the nodes start together), then prints
 * {@code RESULT admitted=<n> millis=<m>}.
 */
public final class LimiterNode {
  static final long LIMIT = 1_000;

  private LimiterNode() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int threads = Integer.parseInt(args[1]);
    int attempts = Integer.parseInt(args[2]);
    String key = args[3];
    long limit = args.length > 4 ? Long.parseLong(args[4]) : LIMIT;
    CacheManager manager = new CacheLayerCachingProvider().getCacheManager(
        URI.create("limiter-nodes"), LimiterNode.class.getClassLoader());
    BooleanSupplier attempt = switch (kind) {
      case "helper" -> {
        // Windows of Redis's real time: a window that ended during the test would rightly
        // admit more; one of a hundred years does not end during a test.
        RateLimiter limiter = RateLimiter.create(manager, "rate",
            RateLimit.fixedWindow(limit, Duration.ofDays(36_500)));
        yield () -> limiter.tryAcquire(key).allowed();
      }
      case "bucket4j" -> {
        Cache<String, byte[]> buckets = manager.getCache("buckets", String.class, byte[].class);
        if (buckets == null) {
          try {
            buckets = manager.createCache("buckets",
                new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));
          } catch (javax.cache.CacheException e) {
            buckets = manager.getCache("buckets", String.class, byte[].class);
          }
        }
        ProxyManager<String> proxy = Bucket4jJCache.entryProcessorBasedBuilder(buckets).build();
        BucketConfiguration configuration = BucketConfiguration.builder()
            .addLimit(bandwidth -> bandwidth.capacity(limit)
                .refillIntervally(limit, Duration.ofHours(1)))
            .build();
        var bucket = proxy.builder().build(key, () -> configuration);
        yield () -> bucket.tryConsume(1);
      }
      default -> throw new IllegalArgumentException(kind);
    };
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    if (!"GO".equals(in.readLine())) {
      System.exit(2);
    }
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < attempts; i++) {
          if (attempt.getAsBoolean()) {
            admitted.incrementAndGet();
          }
        }
      }));
    }
    for (Future<?> future : done) {
      future.get();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    pool.shutdown();
    System.out.println("RESULT admitted=" + admitted.get() + " millis=" + millis);
    manager.close();
    System.exit(0);
  }
}
