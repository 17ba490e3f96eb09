package io.github.cachelayer.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CI's check that the benchmarks still run: the smoke profile end to end (its own Redis, JMH
 * forks, the report with charts). It judges nothing about speed.
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
  }

  @Test
  void theHelperBenchmarksRunAndWriteTheirRatios() throws Exception {
    Path out = Path.of("target", "bench-helpers-smoke");
    String text = Files.readString(HelperReport.run(true, out));
    assertRows(text, "tryAcquire: CacheLayer / raw lettuce",
        "sessionGet: CacheLayer / raw jedis", "| hotKey | bucket4j-on-cachelayer |",
        "tryAcquire: CacheLayer / Bucket4j on CacheLayer");
    // The hot-key scenario admits exactly the bucket's 1,000 tokens.
    assertTrue(text.contains("| 1 | 1000 |"), text);
  }

  @Test
  void theNearCacheBenchmarksRunAndWriteTheirRatios() throws Exception {
    Path out = Path.of("target", "bench-near-smoke");
    String text = Files.readString(NearCacheReport.run(true, out));
    assertRows(text, "| nearHit: near / caffeine-jcache | 1 |",
        "| mix90_10: near / cachelayer-redis | 1 |", "| mix90_10: near / jedis | 1 |",
        "| mix90_10: near / redisson-jcache-tuned | 1 |", "## Invalidation delay");
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
  private static void assertRows(String text, String... rows) {
    for (String row : rows) {
      assertTrue(text.contains(row), row + " in\n" + text);
    }
  }
}
