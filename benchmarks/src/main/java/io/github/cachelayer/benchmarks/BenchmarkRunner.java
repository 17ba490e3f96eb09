package io.github.cachelayer.benchmarks;

import io.github.cachelayer.testing.redis.RedisServer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs a profile and writes {@code results/<date>/report.md}: starts its own redis-server on a
 * free loopback port (persistence off), runs the JMH suites in separate forks, round after round
 * so that outside load hits every peer alike, then measures memory per entry and the commands
 * each operation sends, and writes the report with charts.
 */
public final class BenchmarkRunner {
  /** The gc profiler's bytes allocated per operation, over the whole JVM. */
  static final String ALLOCATED_PER_OP = "gc.alloc.rate.norm";

  private BenchmarkRunner() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "quick";
    Path out = Path.of(args.length > 1 ? args[1] : "results/" + LocalDate.now(java.time.ZoneOffset.UTC));
    if (name.startsWith("near")) {
      System.out.println("Report: " + NearCacheReport.run(name.equals("near-smoke"), out)
          .toAbsolutePath());
      return;
    }
    if (name.startsWith("spring-cache")) {
      System.out.println("Report: " + SpringCacheReport.run(name, out).toAbsolutePath());
      return;
    }
    if (name.startsWith("web")) {
      System.out.println("Report: " + WebReport.run(name.equals("web-smoke"), out)
          .toAbsolutePath());
      return;
    }
    if (name.startsWith("helpers")) {
      System.out.println("Report: " + HelperReport.run(name.equals("helpers-smoke"), out)
          .toAbsolutePath());
      return;
    }
    Profile profile = Profile.of(name);
    Path report = run(profile, out, true);
    System.out.println("Report: " + report.toAbsolutePath());
  }

  static Path run(Profile profile, Path out, boolean extras) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      System.setProperty("bench.redis.url", redis.url());
      List<RunResult> results = new ArrayList<>();
      for (int round = 0; round < profile.rounds(); round++) {
        for (int threads : profile.threads()) {
          results.addAll(runSuite(profile, redis.url(), threads, "CacheBenchmark",
              profile.stringOperations(), "string"));
          if (!profile.pojoOperations().isEmpty()) {
            results.addAll(runSuite(profile, redis.url(), threads, "CacheBenchmark",
                profile.pojoOperations(), "pojo"));
          }
          results.addAll(runSuite(profile, redis.url(), threads, "RawClientBenchmark",
              profile.rawOperations(), null));
          redis.call("FLUSHALL");
        }
      }
      List<Measurement> measurements = merge(results);
      Map<String, Double> footprint = extras ? Footprint.measure(redis) : Map.of();
      Map<String, Map<String, List<String>>> trace = extras ? CommandTrace.record(redis) : Map.of();
      String header = "# CacheLayer benchmarks, " + LocalDate.now(java.time.ZoneOffset.UTC) + "\n\n"
          + "Profile `" + profile.name() + "`: " + profile.rounds() + " round(s), forks of "
          + profile.warmups() + " warm-up iteration(s) of " + profile.warmupSeconds() + " s and "
          + profile.iterations() + " measured iteration(s) of " + profile.secondsPerIteration()
          + " s, threads " + profile.threads() + ". "
          + "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
          + System.getProperty("java.version") + "; client and redis-server ("
          + redis.call("INFO", "server").toString().lines().filter(l -> l.startsWith("redis_version"))
              .findFirst().orElse("?") + ", persistence off) on the same machine.\n\n"
          + "Command: `./mvnw -q -pl benchmarks -am package -DskipTests exec:exec -Dbench.profile="
          + profile.name() + "`.\n\n"
          + "Tuned settings (CacheLayer, and Redisson's JCache and RBucket \"tuned\"): "
          + Peers.TUNED_NETTY_THREADS + " Netty threads, " + Peers.TUNED_POOL + " connections ("
          + Peers.TUNED_MIN_IDLE + " opened at start), Netty's "
          + (io.netty.channel.epoll.Epoll.isAvailable() ? "native epoll" : "NIO")
          + " transport (Lettuce picks the same by itself). \"default\": Redisson's own defaults"
          + " (NIO).\n";
      return Report.write(out, header, measurements, footprint, trace);
    }
  }

  private static Collection<RunResult> runSuite(Profile profile, String redisUrl, int threads,
      String benchmark, List<String> operations, String value) throws RunnerException {
    if (operations.isEmpty()) {
      return List.of();
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        // Anchored on the dot before the class name: "CacheBenchmark\\.put$" alone also matches
        // SpringCacheBenchmark.put, whose asynchronous-writes store runs out of heap.
        .include("\\." + benchmark + "\\.(" + String.join("|", operations) + ")$")
        .threads(threads)
        .forks(1)
        .warmupIterations(profile.warmups())
        .warmupTime(TimeValue.seconds(profile.warmupSeconds()))
        .measurementIterations(profile.iterations())
        .measurementTime(TimeValue.seconds(profile.secondsPerIteration()))
        .jvmArgsAppend("-Dbench.redis.url=" + redisUrl, "-Xmx1g")
        // Bytes allocated per operation, a cost a noisy machine cannot blur (it reads the
        // threads' allocation counters between iterations, not during them).
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true);
    if (value != null) {
      options.param("value", value);
      options.param("provider", profile.providers().toArray(String[]::new));
    } else {
      options.param("client", profile.rawClients().toArray(String[]::new));
    }
    return new Runner(options.build()).run();
  }

  /**
   * One JMH run of {@code benchmark}'s {@code operation} for each value of {@code parameter}, in
   * a fork of its own, against the Redis at {@code url}.
   */
  static List<RunResult> runEach(String url, String benchmark, String operation,
      String parameter, List<String> values, int threads, int warmups, int iterations,
      int seconds) throws RunnerException {
    return runEach(url, benchmark, operation, parameter, values, threads, warmups, iterations,
        seconds, "-XX:-BackgroundCompilation");
  }

  /** {@link #runEach} with the fork's compilation flag ({@code -XX:+BackgroundCompilation}). */
  static List<RunResult> runEach(String url, String benchmark, String operation,
      String parameter, List<String> values, int threads, int warmups, int iterations,
      int seconds, String compilation) throws RunnerException {
    var options = new OptionsBuilder()
        .include("\\." + benchmark + "\\." + operation + "$")
        .param(parameter, values.toArray(String[]::new))
        .threads(threads)
        .forks(1)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(seconds))
        // Compiles in the thread that needs the code: with 32 spinning threads on 2 cores the
        // JIT's own threads got so little CPU that forks of the same code measured either
        // ~1 M or ~35 M near hits/s, depending on whether compilation finished in warm-up.
        .jvmArgsAppend("-Dbench.redis.url=" + url, "-Xmx1g", compilation)
        .shouldFailOnError(true)
        .build();
    return new ArrayList<>(new Runner(options).run());
  }

  /**
   * Iterations of every round pooled per combination: median, min and max, and the median of
   * the bytes allocated per operation where the gc profiler ran.
   */
  static List<Measurement> merge(List<RunResult> results) {
    Map<String, List<RunResult>> byCombination = new TreeMap<>();
    for (RunResult result : results) {
      var params = result.getParams();
      String subject = params.getParam("provider") != null ? params.getParam("provider")
          : params.getParam("client") != null ? params.getParam("client")
          : params.getParam("store") != null ? params.getParam("store")
          : params.getParam("endpoint") != null ? params.getParam("endpoint")
          : params.getParam("subject");
      String value = params.getParam("value") != null ? params.getParam("value") : "string";
      String operation = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
      byCombination.computeIfAbsent(String.join("|", operation, subject, value,
          Integer.toString(params.getThreads())), k -> new ArrayList<>()).add(result);
    }
    List<Measurement> measurements = new ArrayList<>();
    byCombination.forEach((key, runs) -> {
      String[] parts = key.split("\\|");
      List<IterationResult> iterations = runs.stream()
          .flatMap(run -> run.getBenchmarkResults().stream())
          .flatMap(bench -> bench.getIterationResults().stream())
          .collect(Collectors.toList());
      org.openjdk.jmh.util.ListStatistics statistics = new org.openjdk.jmh.util.ListStatistics();
      org.openjdk.jmh.util.ListStatistics bytes = new org.openjdk.jmh.util.ListStatistics();
      for (IterationResult iteration : iterations) {
        statistics.addValue(iteration.getPrimaryResult().getScore());
        Result<?> allocated = iteration.getSecondaryResults().get(ALLOCATED_PER_OP);
        if (allocated != null) {
          bytes.addValue(allocated.getScore());
        }
      }
      Statistics s = statistics;
      measurements.add(new Measurement(parts[0], parts[1], parts[2], Integer.parseInt(parts[3]),
          s.getPercentile(50), s.getMin(), s.getMax(), s.getN(),
          bytes.getN() > 0 ? bytes.getPercentile(50) : Double.NaN));
    });
    return measurements;
  }
}
