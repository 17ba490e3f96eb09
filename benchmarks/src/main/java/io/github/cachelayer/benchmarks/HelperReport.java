package io.github.cachelayer.benchmarks;

import io.github.cachelayer.testing.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;

/**
 * The helpers' benchmarks ({@link HelperBenchmark}, then {@link HotKeyScenario}) on a
 * redis-server of their own, written to {@code results/<date>/helpers.md} with the ratios the
 * helpers issue sets targets for: CacheLayer's helper at least 0.8x of the hand-written raw
 * client at 1 and 8 threads.
 *
 * <p>{@code ./mvnw -q -pl benchmarks -am package -DskipTests exec:exec -Dbench.profile=helpers}
 * (about 8 minutes); {@code helpers-smoke} is CI's proof that it runs.
 */
final class HelperReport {
  private static final double RAW_TARGET = 0.8;

  private HelperReport() {}

  static Path run(boolean smoke, Path out) throws Exception {
    int warmups = smoke ? 0 : 3;
    int iterations = smoke ? 1 : 3;
    int seconds = smoke ? 1 : 2;
    List<Integer> threadCounts = smoke ? List.of(1) : List.of(1, 8);
    List<Measurement> measurements;
    List<String> scenario = new ArrayList<>();
    try (RedisServer redis = RedisServer.start()) {
      System.setProperty("bench.redis.url", redis.url());
      List<RunResult> results = new ArrayList<>();
      for (int threads : threadCounts) {
        // The smoke (CI's proof that it runs) takes one raw client per operation.
        results.addAll(run(redis.url(), "tryAcquire", smoke
            ? List.of("cachelayer", "lettuce", "bucket4j-on-cachelayer")
            : List.of("cachelayer", "lettuce", "jedis", "bucket4j-on-cachelayer"), threads,
            warmups, iterations, seconds));
        results.addAll(run(redis.url(), "sessionGet", smoke ? List.of("cachelayer", "jedis")
            : List.of("cachelayer", "lettuce", "jedis"), threads, warmups, iterations, seconds));
        results.addAll(run(redis.url(), "hotKey", List.of("bucket4j-on-cachelayer"), threads,
            warmups, iterations, seconds));
        redis.call("FLUSHALL");
      }
      measurements = BenchmarkRunner.merge(results);
    }
    for (int round = 0; round < (smoke ? 1 : 3); round++) {
      List<HotKeyScenario.NodeResult> nodes = HotKeyScenario.run(2, 8, 500, 1_000);
      long granted = nodes.stream().mapToLong(HotKeyScenario.NodeResult::granted).sum();
      StringBuilder line = new StringBuilder("| " + (round + 1) + " | " + granted + " |");
      for (HotKeyScenario.NodeResult node : nodes) {
        line.append(String.format(Locale.ROOT, " %.0f |", node.attemptsPerSecond(4_000)));
      }
      scenario.add(line.toString());
    }
    return write(out, measurements, scenario, warmups, iterations, seconds);
  }

  private static List<RunResult> run(String url, String operation, List<String> clients,
      int threads, int warmups, int iterations, int seconds) throws Exception {
    return BenchmarkRunner.runEach(url, "HelperBenchmark", operation, "client", clients, threads,
        warmups, iterations, seconds);
  }

  private static Optional<Measurement> find(List<Measurement> all, String operation,
      String client, int threads) {
    return all.stream().filter(m -> m.operation().equals(operation)
        && m.subject().equals(client) && m.threads() == threads).findFirst();
  }

  private static Path write(Path out, List<Measurement> all, List<String> scenario, int warmups,
      int iterations, int seconds) throws Exception {
    StringBuilder md = ReportRows.heading("Helper benchmarks", "client and redis-server", 0,
        warmups, iterations, seconds)
        .append(", `-XX:-BackgroundCompilation` (compilation done in ")
        .append("warm-up; see the near cache report).\n\n");
    ReportRows.command(md, "helpers");
    md.append("- `tryAcquire`: CacheLayer's fixed-window rate limiter (ratelimit.lua, one ")
        .append("EVALSHA) vs the original design's INCR + PEXPIRE pipelined by hand (Lettuce, ")
        .append("Jedis), and Bucket4j's JCache proxy on CacheLayer; 1,000 users.\n")
        .append("- `sessionGet`: the session manager's read-and-extend (session.lua) vs GET + ")
        .append("PEXPIRE pipelined by hand.\n")
        .append("- `hotKey`: every thread on one Bucket4j bucket (every call writes).\n\n")
        .append("## Ratios (median ops/s over median ops/s)\n\n")
        .append("| ratio | threads | ratio | target | verdict |\n|---|---|---|---|---|\n");
    for (int threads : all.stream().map(Measurement::threads).distinct().sorted().toList()) {
      for (String[] pair : List.of(new String[] {"tryAcquire", "lettuce"},
          new String[] {"tryAcquire", "jedis"}, new String[] {"sessionGet", "lettuce"},
          new String[] {"sessionGet", "jedis"})) {
        var ours = find(all, pair[0], "cachelayer", threads);
        var raw = find(all, pair[0], pair[1], threads);
        if (ours.isPresent() && raw.isPresent()) {
          double ratio = ours.get().median() / raw.get().median();
          md.append(String.format(Locale.ROOT, "| %s: CacheLayer / raw %s | %d | %.2f | >= %.1f | %s |%n",
              pair[0], pair[1], threads, ratio, RAW_TARGET,
              ratio >= RAW_TARGET ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
                  100 * (RAW_TARGET - ratio) / RAW_TARGET)));
        }
      }
      var ours = find(all, "tryAcquire", "cachelayer", threads);
      var bucket4j = find(all, "tryAcquire", "bucket4j-on-cachelayer", threads);
      if (ours.isPresent() && bucket4j.isPresent()) {
        md.append(String.format(Locale.ROOT, "| tryAcquire: CacheLayer / Bucket4j on CacheLayer | %d | %.2f | | |%n",
            threads, ours.get().median() / bucket4j.get().median()));
      }
    }
    md.append("\n## Throughput (ops/s: median, min–max)\n\n")
        .append("| operation | client | threads | median | min | max |\n|---|---|---|---|---|---|\n");
    for (Measurement m : all) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f |%n",
          m.operation(), m.subject(), m.threads(), m.median(), m.min(), m.max()));
    }
    md.append("\n## Hot key across JVMs (HotKeyScenario)\n\n")
        .append("2 JVMs x 8 threads x 500 `tryConsume(1)` on one Bucket4j bucket of 1,000 through ")
        .append("its JCache proxy on CacheLayer, each JVM warmed up first on a bucket of its own.\n\n")
        .append("| run | granted | JVM 1 attempts/s | JVM 2 attempts/s |\n|---|---|---|---|\n");
    scenario.forEach(line -> md.append(line).append('\n'));
    Files.createDirectories(out);
    Path report = out.resolve("helpers.md");
    Files.writeString(report, md.toString());
    return report;
  }
}
