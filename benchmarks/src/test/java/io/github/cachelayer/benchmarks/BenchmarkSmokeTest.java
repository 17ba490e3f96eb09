package io.github.cachelayer.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CI's check that the benchmarks still run: the smoke profile end to end (its own Redis, JMH
 * forks, the report with charts), and the Spring-level reports. It judges nothing about speed.
 * The helper and near-cache reports are {@link HelperAndNearCacheSmokeTest}'s: the two classes
 * run in two forks at once (JMH's iterations last a set time, so sharing the cores costs no
 * wall time).
 */
@Tag("slow") // runs every benchmark once
class BenchmarkSmokeTest {
  @Test
  void theSmokeProfileRunsAndWritesAReport() throws Exception {
    Path out = Path.of("target", "bench-smoke");
    Path report = BenchmarkRunner.run(Profile.of("smoke"), out, false);
    String text = Files.readString(report);
    assertTrue(text.contains("### getHit-string"), text);
    assertTrue(text.contains("cachelayer-redis") && text.contains("cachelayer-fallback"), text);
    assertTrue(text.contains("jedis") && text.contains("lettuce"), text);
    assertTrue(Files.exists(out.resolve("getHit-string.svg")));
    assertTrue(Files.readString(out.resolve("getHit-string.svg")).startsWith("<svg"));
    for (String line : text.lines().filter(l -> l.startsWith("| cachelayer")).toList()) {
      assertTrue(!line.contains("| 0 (") && !line.contains("| – |"), "every combination measured: " + line);
    }
    // Bytes allocated per operation, from the gc profiler, for CacheLayer and the raw clients.
    assertRows(text, "## Bytes allocated per operation", "| getHit | cachelayer-redis | ",
        "| get | jedis | ", "| get | lettuce | ", "| CacheLayer / jedis | getHit | string | 1 |");
    String bytes = text.substring(text.indexOf("## Bytes allocated"));
    for (String line : bytes.lines().skip(1).takeWhile(l -> !l.startsWith("## "))
        .filter(l -> l.startsWith("| get")).toList()) {
      assertTrue(line.matches("\\| \\w+ \\| [\\w-]+ \\| [0-9,]+ \\|"), "bytes measured: " + line);
    }
  }

  @Test
  void theWebBenchmarksRunAndWriteTheirRatios() throws Exception {
    Path out = Path.of("target", "bench-web-smoke");
    String text = Files.readString(WebReport.run(true, out));
    assertRows(text, "| session: CacheLayer / Spring Session Data Redis | 1 |",
        "| limited request: CacheLayer rule / raw Lua call | 1 |",
        "| sessionRequest | spring-session-data-redis | 1 |", "| limitedRequest | raw-lua | 1 |");
  }

  @Test
  void theSpringCacheBenchmarksRunAndWriteTheirRatios() throws Exception {
    Path out = Path.of("target", "bench-spring-cache-smoke");
    String text = Files.readString(SpringCacheReport.run("spring-cache-smoke", out));
    assertRows(text, "| get: CacheLayer / Spring Data Redis, immediate writes | 1 |",
        "| get: CacheLayer / Spring Data Redis, default writes | 1 |",
        "| put | spring-data-redis-immediate | 1 |", "| get | cachelayer | 1 |");
  }

  /** Each row must be in the report; a failure shows the whole report. */
  static void assertRows(String text, String... rows) {
    for (String row : rows) {
      assertTrue(text.contains(row), row + " in\n" + text);
    }
  }
}
