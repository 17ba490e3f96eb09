package io.github.cachelayer.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two JVMs x 8 threads x 500 attempts against one limit of 1,000 on one Redis: exactly 1,000
 * admitted, through CacheLayer's rate limiter (its script) and through Bucket4j's JCache
 * integration (its own entry processor, CacheLayer's general invoke path) as a real client.
 */
@Tag("multi-jvm") // two JVMs
class LimitsAcrossJvmsTest {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @Test
  void theRateLimiterAdmitsExactlyTheLimitAcrossJvms() {
    assertEquals(LimiterNode.LIMIT, admittedBy("helper"));
  }

  @Test
  void bucket4jOnCacheLayerAdmitsExactlyTheLimitAcrossJvms() {
    assertEquals(LimiterNode.LIMIT, admittedBy("bucket4j"));
  }

  private long admittedBy(String kind) {
    String key = "user_123:/api/" + UUID.randomUUID();
    List<JvmNode> nodes = new ArrayList<>();
    try {
      for (int n = 0; n < 2; n++) {
        nodes.add(JvmNode.start(kind + n, LimiterNode.class,
            List.of(kind, "8", "500", key), Map.of("REDIS_URL", REDIS.server().url()),
            List.of()));
      }
      for (JvmNode node : nodes) {
        node.awaitLine("READY", Duration.ofSeconds(60));
      }
      nodes.forEach(node -> node.send("GO"));
      long admitted = 0;
      for (JvmNode node : nodes) {
        String result = node.awaitLine("RESULT", Duration.ofMinutes(3));
        System.out.println(kind + " " + node + ": " + result);
        admitted += Long.parseLong(result.replaceAll(".*admitted=(\\d+).*", "$1"));
        // A replica's log at start-up: no advice of the client's own about its deprecated settings.
        org.junit.jupiter.api.Assertions.assertFalse(node.output().contains("deprecated"),
            node.output());
      }
      return admitted;
    } finally {
      nodes.forEach(JvmNode::close);
    }
  }
}
