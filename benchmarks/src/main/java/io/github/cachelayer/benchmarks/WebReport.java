package io.github.cachelayer.benchmarks;

import io.github.cachelayer.testing.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;

/**
 * The web benchmarks ({@link SessionRequestBenchmark}, {@link LimitedRequestBenchmark}) on a
 * redis-server of their own, interleaved round after round, written to
 * {@code results/<date>/web.md} with the ratios the Spring Session and rate-limit issue sets:
 * a session request on CacheLayer at least 2x Spring Session Data Redis's at 1 and 8 threads; a
 * request limited by CacheLayer's rule at least 0.8x one limited by a raw Lua call.
 *
 * <p>{@code ./mvnw -q -pl benchmarks -am package -DskipTests exec:exec -Dbench.profile=web}
 * (about 17 minutes); {@code web-smoke} is CI's proof that it runs.
 */
final class WebReport {
  private static final double SESSION_TARGET = 2.0;
  private static final double LIMIT_TARGET = 0.8;
  /**
   * Compilation in the background: compiling a Boot application's code in the calling thread
   * (the other reports' setting) stalled requests for tens of milliseconds at a time.
   */
  private static final String COMPILATION = "-XX:+BackgroundCompilation";

  private WebReport() {}

  static Path run(boolean smoke, Path out) throws Exception {
    int warmups = smoke ? 0 : 5;
    int iterations = smoke ? 1 : 3;
    int seconds = smoke ? 1 : 2;
    int rounds = smoke ? 1 : 2;
    List<Integer> threadCounts = smoke ? List.of(1) : List.of(1, 8);
    List<RunResult> results = new ArrayList<>();
    try (RedisServer redis = RedisServer.start()) {
      System.setProperty("bench.redis.url", redis.url());
      for (int round = 0; round < rounds; round++) {
        for (int threads : threadCounts) {
          results.addAll(BenchmarkRunner.runEach(redis.url(), "SessionRequestBenchmark",
              "sessionRequest", "store", List.of("cachelayer", "spring-session-data-redis"), threads,
              warmups, iterations, seconds, COMPILATION));
          // The smoke (CI's proof that the report runs) skips what adds no code path: a read-only
          // session request and the unlimited endpoint each cost a fork (a Boot application).
          if (!smoke) {
            results.addAll(BenchmarkRunner.runEach(redis.url(), "SessionRequestBenchmark",
                "sessionReadRequest", "store", List.of("cachelayer", "spring-session-data-redis"),
                threads, warmups, iterations, seconds, COMPILATION));
          }
          results.addAll(BenchmarkRunner.runEach(redis.url(), "LimitedRequestBenchmark",
              "limitedRequest", "endpoint", smoke ? List.of("cachelayer", "raw-lua")
                  : List.of("unlimited", "cachelayer", "raw-lua"), threads,
              warmups, iterations, seconds, COMPILATION));
          redis.call("FLUSHALL");
        }
      }
    }
    return write(out, BenchmarkRunner.merge(results), rounds, warmups, iterations, seconds);
  }

  private static Path write(Path out, List<Measurement> all, int rounds, int warmups,
      int iterations, int seconds) throws Exception {
    StringBuilder md = ReportRows.heading("Web benchmarks",
        "client, application and redis-server", rounds, warmups, iterations, seconds)
        .append(", background compilation (as in production: compiling Spring's and Tomcat's ")
        .append("code in the calling thread stalled requests).\n\n");
    ReportRows.command(md, "web");
    md.append("- `session`: one request's session work as Spring Session's filter does it ")
        .append("(findById, setLastAccessedTime, one attribute changed, save); Spring Session ")
        .append("on CacheLayer (Redis mode) vs Spring Session Data Redis's RedisSessionRepository ")
        .append("(Lettuce, Spring Session's template settings); 1,000 sessions. `session, read ")
        .append("only`: the same without the change (the common request: read, saved unchanged).\n")
        .append("- `limited request`: GET to a Boot servlet application over loopback HTTP: ")
        .append("unlimited, limited by a CacheLayer rule in properties, limited by hand with one ")
        .append("Lua call (token bucket) on Lettuce per request; 1,000 clients.\n\n")
        .append("## Ratios (median ops/s over median ops/s)\n\n")
        .append("| ratio | threads | ratio | target | verdict |\n|---|---|---|---|---|\n");
    for (int threads : all.stream().map(Measurement::threads).distinct().sorted().toList()) {
      ReportRows.ratio(md, "session: CacheLayer / Spring Session Data Redis", threads,
          ReportRows.find(all, "sessionRequest", "cachelayer", threads),
          ReportRows.find(all, "sessionRequest", "spring-session-data-redis", threads),
          SESSION_TARGET);
      ReportRows.ratio(md, "session, read only: CacheLayer / Spring Session Data Redis", threads,
          ReportRows.find(all, "sessionReadRequest", "cachelayer", threads),
          ReportRows.find(all, "sessionReadRequest", "spring-session-data-redis", threads), 0);
      ReportRows.ratio(md, "limited request: CacheLayer rule / raw Lua call", threads,
          ReportRows.find(all, "limitedRequest", "cachelayer", threads),
          ReportRows.find(all, "limitedRequest", "raw-lua", threads), LIMIT_TARGET);
      ReportRows.ratio(md, "limited request: CacheLayer rule / unlimited", threads,
          ReportRows.find(all, "limitedRequest", "cachelayer", threads),
          ReportRows.find(all, "limitedRequest", "unlimited", threads), 0);
    }
    ReportRows.throughput(md, all);
    Files.createDirectories(out);
    Path report = out.resolve("web.md");
    Files.writeString(report, md.toString());
    return report;
  }
}
