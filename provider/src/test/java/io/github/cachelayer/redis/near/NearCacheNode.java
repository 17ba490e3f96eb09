package io.github.cachelayer.redis.near;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.management.NearCacheStatistics;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * One JVM of {@code NearCacheAcrossJvmsTest}: {@code java ... NearCacheNode <redis-url>
 * write|read <keys> <millis> <file> [<writer's file>]}. Times are {@link System#nanoTime()}, which on Linux is
 * one monotonic clock for every process of the machine.
 */
public final class NearCacheNode {
  private NearCacheNode() {}

  public static void main(String[] args) throws Exception {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, Map.of("REDIS_URL", args[0]));
    CacheManager manager = new CacheLayerCachingProvider().getCacheManager(
        URI.create("near-jvms"), NearCacheNode.class.getClassLoader(), properties);
    int keys = Integer.parseInt(args[2]);
    long millis = Long.parseLong(args[3]);
    Path file = Path.of(args[4]);
    try {
      CacheLayerConfiguration<String, Long> configuration = new CacheLayerConfiguration<>();
      configuration.setTypes(String.class, Long.class);
      if (args[1].equals("read")) {
        configuration.setNearCache(new NearCacheSettings(1_000, Duration.ofMinutes(10)));
      }
      Cache<String, Long> cache = manager.createCache("steady", configuration);
      System.out.println("READY");
      System.out.flush();
      if (args[1].equals("write")) {
        write(cache, keys, millis, file);
      } else {
        read(cache, keys, millis, file, Path.of(args[5]));
      }
    } finally {
      manager.close();
    }
    System.exit(0);
  }

  /** Writes at least this many, however slow the machine (within {@link #LONGEST}). */
  static final int MIN_WRITES = 1_500;
  private static final long LONGEST = TimeUnit.SECONDS.toNanos(40);

  /**
   * One put every 2 ms for {@code millis} and at least {@link #MIN_WRITES} puts, keys in turn,
   * values counting up; "key value ackNanos" per write, in {@code file} once done.
   */
  private static void write(Cache<String, Long> cache, int keys, long millis, Path file)
      throws Exception {
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
    StringBuilder log = new StringBuilder();
    for (long value = 1; (System.nanoTime() < end || value <= MIN_WRITES)
        && System.nanoTime() - start < LONGEST; value++) {
      String key = "k" + (value % keys);
      cache.put(key, value);
      log.append(key).append(' ').append(value).append(' ').append(System.nanoTime()).append('\n');
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    Files.writeString(file, log);
    System.out.println("RESULT written");
  }

  /**
   * Reads random keys as fast as it can; per key and value seen, "key value firstNanos
   * lastNanos": the start of the first and of the last read that returned it.
   */
  private static void read(Cache<String, Long> cache, int keys, long millis, Path file,
      Path writerDone) throws Exception {
    Map<String, Map<Long, long[]>> seen = new HashMap<>();
    long reads = 0;
    long first = System.nanoTime();
    long end = first + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean writing = true;
    for (long start = first; (start < end || writing) && start - first < LONGEST;
        start = System.nanoTime()) {
      if ((reads & 0xFFFF) == 0) {
        writing = !Files.exists(writerDone); // the writer writes its file when it ends
      }
      String key = "k" + ThreadLocalRandom.current().nextInt(keys);
      Long value = cache.get(key);
      reads++;
      if (value != null) {
        Map<Long, long[]> values = seen.computeIfAbsent(key, k -> new HashMap<>());
        long[] times = values.get(value);
        if (times == null) {
          values.put(value, new long[] {start, start});
        } else {
          times[1] = start;
        }
      }
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
      seen.forEach((key, values) -> values.forEach((value, times) ->
          out.println(key + " " + value + " " + times[0] + " " + times[1])));
    }
    NearCacheStatistics near = cache.unwrap(CacheLayerCache.class).nearCacheStatistics();
    System.out.println("RESULT reads=" + reads + " nearHits=" + near.hits());
  }
}
