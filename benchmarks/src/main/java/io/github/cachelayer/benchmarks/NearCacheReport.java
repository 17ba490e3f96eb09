package io.github.cachelayer.benchmarks;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.openjdk.jmh.results.RunResult;

/**
 * {@link NearCacheBenchmark} on a redis-server of its own, and the invalidation delay measured
 * beside it, written to {@code results/<date>/near-cache.md} with the ratios the near cache
 * issue sets targets for: near hits at least 0.5x Caffeine's JCache, and the 90/10 Zipf mix at
 * least 5x CacheLayer without a near cache.
 *
 * <p>{@code ./mvnw -q -pl benchmarks -am package -DskipTests exec:exec -Dbench.profile=near}
 * (about 5 minutes); {@code near-smoke} is CI's proof that it runs.
 */
final class NearCacheReport {
  private static final double CAFFEINE_TARGET = 0.5;
  private static final double NO_NEAR_TARGET = 5;

  private NearCacheReport() {}

  static Path run(boolean smoke, Path out) throws Exception {
    int warmups = smoke ? 0 : 2;
    int iterations = smoke ? 1 : 3;
    int seconds = smoke ? 1 : 2;
    List<Integer> threadCounts = smoke ? List.of(1) : List.of(1, 8, 32);
    List<RunResult> results = new ArrayList<>();
    long[] delays;
    try (RedisServer redis = RedisServer.start()) {
      System.setProperty("bench.redis.url", redis.url());
      for (int threads : threadCounts) {
        results.addAll(run(redis.url(), "nearHit",
            List.of("cachelayer-redis-near", "caffeine-jcache", "caffeine-jcache-bounded"), threads,
            warmups, iterations, seconds));
        results.addAll(run(redis.url(), "mix90_10", List.of("cachelayer-redis-near",
            "cachelayer-redis", "redisson-jcache-tuned", "jedis"), threads, warmups, iterations,
            seconds));
        redis.call("FLUSHALL");
      }
      delays = invalidationDelays(redis.url(), smoke ? 200 : 2_000);
    }
    return write(out, BenchmarkRunner.merge(results), delays, warmups, iterations, seconds);
  }

  private static List<RunResult> run(String url, String operation, List<String> subjects,
      int threads, int warmups, int iterations, int seconds) throws Exception {
    return BenchmarkRunner.runEach(url, "NearCacheBenchmark", operation, "subject", subjects,
        threads, warmups, iterations, seconds);
  }

  /**
   * Two managers of their own providers (two nodes) on one Redis: one writes a key, the other,
   * with a near cache holding the previous value, reads until it sees the new one. Nanoseconds
   * from the write's acknowledgement to that read's return, sorted; the first tenth warms up.
   */
  static long[] invalidationDelays(String url, int writes) throws Exception {
    try (CacheManager writerManager = node(url); CacheManager readerManager = node(url)) {
      Cache<String, Integer> writer = writerManager.createCache("delay",
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
      CacheLayerConfiguration<String, Integer> near = new CacheLayerConfiguration<>();
      near.setTypes(String.class, Integer.class);
      near.setNearCache(new NearCacheSettings(100, java.time.Duration.ofMinutes(10)));
      Cache<String, Integer> reader = readerManager.createCache("delay", near);
      Thread.sleep(500); // the reader's invalidation connection proves itself
      long[] delays = new long[writes];
      for (int i = 0; i < writes; i++) {
        writer.put("d", i);
        long acknowledged = System.nanoTime();
        while (!Integer.valueOf(i).equals(reader.get("d"))) {
          Thread.onSpinWait();
        }
        delays[i] = System.nanoTime() - acknowledged;
        reader.get("d"); // a near hit again before the next write
      }
      long[] measured = Arrays.copyOfRange(delays, writes / 10, writes);
      Arrays.sort(measured);
      return measured;
    }
  }

  private static CacheManager node(String url) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, Map.of("REDIS_URL", url));
    return new CacheLayerCachingProvider().getCacheManager(URI.create("bench-delay"),
        NearCacheReport.class.getClassLoader(), properties);
  }

  private static Optional<Measurement> find(List<Measurement> all, String operation,
      String subject, int threads) {
    return all.stream().filter(m -> m.operation().equals(operation)
        && m.subject().equals(subject) && m.threads() == threads).findFirst();
  }

  private static Path write(Path out, List<Measurement> all, long[] delays, int warmups,
      int iterations, int seconds) throws Exception {
    StringBuilder md = ReportRows.heading("Near cache benchmarks", "client and redis-server", 0,
        warmups, iterations, seconds)
        .append(", `-XX:-BackgroundCompilation` (with 32 spinning threads on 2 cores the JIT's ")
        .append("threads starve, and forks of the same code measured ~1 M or ~35 M near hits/s ")
        .append("depending on whether compilation finished in warm-up). String values.\n\n");
    ReportRows.command(md, "near");
    md.append("- `nearHit`: `get` of 1,000 present keys; `cachelayer-redis-near` answers from ")
        .append("its near cache (bounded to 10,000 copies), `caffeine-jcache` is Caffeine's JCache ")
        .append("as configured by default (unbounded: a concurrent map without eviction policy), ")
        .append("`caffeine-jcache-bounded` the same bounded to 10,000 entries (the kind of Caffeine ")
        .append("cache the near cache keeps its copies in). Both store by value.\n")
        .append("- `mix90_10`: 90% `get`, 10% `put` over 10,000 keys drawn from a Zipf ")
        .append("distribution (exponent 0.99); CacheLayer with and without near cache, ")
        .append("Redisson's JCache (tuned as CacheLayer), Jedis `GET` / `SET` from a pool.\n\n")
        .append("## Ratios (median ops/s over median ops/s)\n\n")
        .append("| ratio | threads | ratio | target | verdict |\n|---|---|---|---|---|\n");
    for (int threads : all.stream().map(Measurement::threads).distinct().sorted().toList()) {
      ratio(md, all, "nearHit", "caffeine-jcache", threads, CAFFEINE_TARGET);
      ratio(md, all, "nearHit", "caffeine-jcache-bounded", threads, 0);
      ratio(md, all, "mix90_10", "cachelayer-redis", threads, NO_NEAR_TARGET);
      ratio(md, all, "mix90_10", "redisson-jcache-tuned", threads, 0);
      ratio(md, all, "mix90_10", "jedis", threads, 0);
    }
    md.append(String.format(Locale.ROOT, "%n## Invalidation delay%n%nAnother node's `put` "
        + "acknowledged -> this node's `get` returns the new value (its near cache held the old "
        + "one), %d writes one after another on two managers of their own: p50 %.3f ms, p99 "
        + "%.3f ms, max %.3f ms. It is Redis's invalidation reaching this node plus the read "
        + "that follows it to Redis.%n", delays.length, delays[delays.length / 2] / 1e6,
        delays[delays.length * 99 / 100] / 1e6, delays[delays.length - 1] / 1e6));
    md.append("\n## Throughput (ops/s: median, min–max)\n\n")
        .append("| operation | subject | threads | median | min | max |\n|---|---|---|---|---|---|\n");
    for (Measurement m : all) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f |%n",
          m.operation(), m.subject(), m.threads(), m.median(), m.min(), m.max()));
    }
    Files.createDirectories(out);
    Path report = out.resolve("near-cache.md");
    Files.writeString(report, md.toString());
    return report;
  }

  private static void ratio(StringBuilder md, List<Measurement> all, String operation,
      String peer, int threads, double target) {
    var ours = find(all, operation, "cachelayer-redis-near", threads);
    var theirs = find(all, operation, peer, threads);
    if (ours.isEmpty() || theirs.isEmpty()) {
      return;
    }
    double ratio = ours.get().median() / theirs.get().median();
    String verdict = target == 0 ? "" : ratio >= target ? "met"
        : String.format(Locale.ROOT, "missed by %.0f%%", 100 * (target - ratio) / target);
    md.append(String.format(Locale.ROOT, "| %s: near / %s | %d | %.2f | %s | %s |%n", operation,
        peer, threads, ratio, target == 0 ? "" : ">= " + target, verdict));
  }
}
