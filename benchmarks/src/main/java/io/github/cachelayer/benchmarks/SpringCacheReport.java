package io.github.cachelayer.benchmarks;

import io.github.cachelayer.testing.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;

/**
 * {@link SpringCacheBenchmark} on a redis-server of its own, the stores interleaved round after
 * round, written to {@code results/<date>/spring-cache.md} with the throughput issue's targets:
 * CacheLayer at least 1.0x Spring Data Redis with immediate writes on get, put and the 90/10
 * mix, and at least 1.0x its default asynchronous writes on get and the mix, at 1, 8 and 32
 * threads.
 *
 * <p>{@code ./mvnw -q -pl benchmarks -am package -DskipTests exec:exec
 * -Dbench.profile=spring-cache} (about 35 minutes); {@code spring-cache-smoke} is CI's proof
 * that it runs.
 */
final class SpringCacheReport {
  private static final List<String> STORES = List.of("cachelayer", "cachelayer-near",
      "spring-data-redis-immediate", "spring-data-redis-default");
  private static final List<String> OPERATIONS = List.of("get", "put", "mix90_10");

  private SpringCacheReport() {}

  /**
   * Puts alone are not measured on asynchronous writes: nothing holds the caller back, so a
   * closed loop of puts only grows the client's backlog (at 8 threads the fork ran out of its
   * 1 GB heap within seconds). With gets among them (the mix) the backlog drains, since each
   * get waits behind the writes queued before it on the one connection.
   */
  private static List<String> storesFor(String operation) {
    return STORES.stream()
        .filter(store -> !(operation.equals("put") && store.equals("spring-data-redis-default")))
        // The near cache's target is the mix; its gets alone are a local map's.
        .filter(store -> operation.equals("mix90_10") || !store.equals("cachelayer-near"))
        .toList();
  }

  /**
   * @param profile {@code spring-cache} (every operation), {@code spring-cache-near} (the mix
   *     alone, about 10 minutes) or {@code spring-cache-smoke}
   */
  static Path run(String profile, Path out) throws Exception {
    boolean smoke = profile.equals("spring-cache-smoke");
    List<String> operations = smoke ? OPERATIONS.subList(0, 2) // the mix adds no code path
        : profile.equals("spring-cache-near") ? List.of("mix90_10") : OPERATIONS;
    // Warm-up long enough for C2 to finish with the clients: with 2 s of it, CacheLayer's
    // get was still rising from 6k to 24k ops/s over the warm-up iterations.
    int warmups = smoke ? 0 : 5;
    int iterations = smoke ? 1 : 3;
    int seconds = smoke ? 1 : 2;
    int rounds = smoke ? 1 : 2;
    List<Integer> threadCounts = smoke ? List.of(1) : List.of(1, 8, 32);
    List<RunResult> results = new ArrayList<>();
    try (RedisServer redis = RedisServer.start()) {
      System.setProperty("bench.redis.url", redis.url());
      for (int round = 0; round < rounds; round++) {
        for (int threads : threadCounts) {
          for (String operation : operations) {
            results.addAll(BenchmarkRunner.runEach(redis.url(), "SpringCacheBenchmark",
                operation, "store", storesFor(operation), threads, warmups, iterations,
                seconds));
          }
          redis.call("FLUSHALL");
        }
      }
    }
    return write(out, profile, operations, BenchmarkRunner.merge(results), rounds, warmups,
        iterations, seconds);
  }

  private static Path write(Path out, String profile, List<String> operations,
      List<Measurement> all, int rounds, int warmups, int iterations, int seconds)
      throws Exception {
    StringBuilder md = ReportRows.heading("Spring's cache abstraction",
        "client and redis-server", rounds, warmups, iterations, seconds).append(".\n\n");
    ReportRows.command(md, profile.equals("spring-cache-smoke") ? "spring-cache" : profile);
    md.append("Through `org.springframework.cache.Cache`: CacheLayer (Redis mode, default ")
        .append("settings) behind Spring's `JCacheCacheManager`; Spring Data Redis's ")
        .append("`RedisCacheManager` on Lettuce, default cache configuration, with immediate ")
        .append("writes and with its default asynchronous writes (a put returns before Redis has ")
        .append("the value). A 5-field Serializable value, 16,384 keys. Puts alone are not ")
        .append("measured on asynchronous writes: with nothing to hold the caller back, a loop ")
        .append("of them only grows Lettuce's backlog (at 8 threads, out of a 1 GB heap in ")
        .append("seconds). `cachelayer-near`: the same with a near cache of 16,384 copies ")
        .append("(the mix only).\n\n")
        .append("## Ratios (median ops/s over median ops/s)\n\n")
        .append("| ratio | threads | ratio | target | verdict |\n|---|---|---|---|---|\n");
    for (int threads : all.stream().map(Measurement::threads).distinct().sorted().toList()) {
      for (String operation : operations) {
        ReportRows.ratio(md, operation + ": CacheLayer / Spring Data Redis, immediate writes",
            threads, ReportRows.find(all, operation, "cachelayer", threads),
            ReportRows.find(all, operation, "spring-data-redis-immediate", threads), 1.0);
        ReportRows.ratio(md, operation + ": CacheLayer / Spring Data Redis, default writes",
            threads, ReportRows.find(all, operation, "cachelayer", threads),
            ReportRows.find(all, operation, "spring-data-redis-default", threads), 1.0);
        if (operation.equals("mix90_10")) {
          ReportRows.ratio(md, "mix90_10: CacheLayer with near cache / Spring Data Redis, "
              + "immediate writes", threads, ReportRows.find(all, operation, "cachelayer-near",
              threads), ReportRows.find(all, operation, "spring-data-redis-immediate", threads),
              5.0);
        }
      }
    }
    ReportRows.throughput(md, all);
    Files.createDirectories(out);
    Path report = out.resolve(profile.equals("spring-cache-near") ? "spring-cache-near.md"
        : "spring-cache.md");
    Files.writeString(report, md.toString());
    return report;
  }
}
