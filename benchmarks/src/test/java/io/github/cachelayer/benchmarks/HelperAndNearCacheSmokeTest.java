package io.github.cachelayer.benchmarks;

import static io.github.cachelayer.benchmarks.BenchmarkSmokeTest.assertRows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** CI's check that the helper and near-cache benchmarks still run; see BenchmarkSmokeTest. */
@Tag("slow") // runs every benchmark once
class HelperAndNearCacheSmokeTest {
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
}
