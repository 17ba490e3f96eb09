package io.github.cachelayer.benchmarks;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.grid.jcache.Bucket4jJCache;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;

/**
 * The contended-{@code invoke} scenario of the helpers issue, as replicas of a service run it:
 * N JVMs x T threads x A attempts of Bucket4j's {@code tryConsume(1)} on one bucket of C tokens
 * (refilled once an hour) through its JCache proxy on CacheLayer, on a redis-server of its own.
 * Each node first warms up (8 x 1,500 calls on a bucket of its own), so that the run compares
 * steady states. Prints the tokens granted (must be exactly min(C, N x T x A)) and attempts/s
 * per JVM. A JMH benchmark would measure one JVM; this one is about what several do to each
 * other.
 *
 * <p>{@code java -cp <benchmarks classpath> io.github.cachelayer.benchmarks.HotKeyScenario
 * [nodes threads attempts capacity]}, default 2 8 500 1000; put another CacheLayer build first
 * on the class path to measure it the same way.
 */
public final class HotKeyScenario {
  /** Attempts per thread before the measured run. */
  private static final int WARM_UP_ATTEMPTS = 1_500;

  private HotKeyScenario() {}

  /** One node's outcome. */
  record NodeResult(long granted, long millis) {
    double attemptsPerSecond(long attempts) {
      return attempts * 1_000.0 / millis;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("node")) {
      node(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
      return;
    }
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int attempts = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    long capacity = args.length > 3 ? Long.parseLong(args[3]) : 1_000;
    List<NodeResult> results = run(nodes, threads, attempts, capacity);
    long granted = results.stream().mapToLong(NodeResult::granted).sum();
    System.out.printf("granted %d of %d attempts (capacity %d)%n", granted,
        (long) nodes * threads * attempts, capacity);
    for (NodeResult result : results) {
      System.out.printf("node: %d ms, %.0f attempts/s%n", result.millis(),
          result.attemptsPerSecond((long) threads * attempts));
    }
  }

  /** Starts a Redis and the nodes, lets them go together, and collects their results. */
  static List<NodeResult> run(int nodes, int threads, int attempts, long capacity)
      throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      List<Process> processes = new ArrayList<>();
      List<BufferedReader> outputs = new ArrayList<>();
      try {
        for (int n = 0; n < nodes; n++) {
          ProcessBuilder builder = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
              "-cp", System.getProperty("java.class.path"), HotKeyScenario.class.getName(),
              "node", Integer.toString(threads), Integer.toString(attempts),
              Long.toString(capacity));
          builder.environment().put("REDIS_URL", redis.url());
          builder.redirectErrorStream(true);
          Process process = builder.start();
          processes.add(process);
          outputs.add(new BufferedReader(new InputStreamReader(process.getInputStream(),
              StandardCharsets.UTF_8)));
        }
        for (BufferedReader output : outputs) {
          awaitLine(output, "READY");
        }
        for (Process process : processes) {
          OutputStream in = process.getOutputStream();
          in.write("GO\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
        }
        List<NodeResult> results = new ArrayList<>();
        for (BufferedReader output : outputs) {
          String[] parts = awaitLine(output, "RESULT").split(" ");
          results.add(new NodeResult(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        }
        return results;
      } finally {
        processes.forEach(Process::destroyForcibly);
      }
    }
  }

  private static String awaitLine(BufferedReader output, String prefix) throws IOException {
    for (String line; (line = output.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("A node ended before printing " + prefix);
  }

  private static void node(int threads, int attempts, long capacity) throws Exception {
    CacheManager manager = Caching.getCachingProvider(Peers.CACHELAYER)
        .getCacheManager(URI.create("hot-key"), HotKeyScenario.class.getClassLoader());
    Cache<String, byte[]> cache;
    synchronized (HotKeyScenario.class) {
      Cache<String, byte[]> existing = manager.getCache("buckets", String.class, byte[].class);
      cache = existing != null ? existing : createQuietly(manager);
    }
    var proxy = Bucket4jJCache.entryProcessorBasedBuilder(cache).build();
    BucketConfiguration configuration = BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(capacity).refillIntervally(capacity, Duration.ofHours(1)))
        .build();
    var bucket = proxy.builder().build("hot", () -> configuration);
    // Warm-up on a bucket of this node's own (as contended within the node, never emptied):
    // the measured run then compares steady states, not JIT compilers.
    var own = proxy.builder().build("warm-up-" + ProcessHandle.current().pid(),
        () -> BucketConfiguration.builder().addLimit(limit -> limit.capacity(1L << 40)
            .refillIntervally(1L << 40, Duration.ofHours(1))).build());
    hammer(threads, WARM_UP_ATTEMPTS, own::tryConsume);
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    if (!"GO".equals(in.readLine())) {
      System.exit(2);
    }
    long start = System.nanoTime();
    long granted = hammer(threads, attempts, bucket::tryConsume);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("RESULT " + granted + " " + millis);
    System.exit(0);
  }

  /** Threads x attempts calls; how many answered true. */
  private static long hammer(int threads, int attempts, java.util.function.LongPredicate consume)
      throws Exception {
    AtomicLong granted = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < attempts; i++) {
            if (consume.test(1)) {
              granted.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    return granted.get();
  }

  private static Cache<String, byte[]> createQuietly(CacheManager manager) {
    try {
      return manager.createCache("buckets",
          new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));
    } catch (javax.cache.CacheException e) {
      return manager.getCache("buckets", String.class, byte[].class);
    }
  }
}
