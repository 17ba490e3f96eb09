package io.github.cachelayer.helpers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two JVMs whose clocks are 5 s apart share three limits of 100 per 10 s on one Redis for 25 s
 * (a fixed window, a sliding window, a token bucket). Decided on Redis's clock, each holds on the
 * true clock: no calendar window grants more than 100 (fixed), no interval of 10 s does
 * (sliding), no interval of 10 s more than the bucket's 100 plus its 100 of refill (bucket);
 * and neither JVM is starved (each gets at least a third). Each grant is known only to lie
 * between the times its JVM asked and got the answer, so a grant counts in an interval only
 * when both lie in it.
 */
@Tag("multi-jvm") // two JVMs with skewed clocks
class SkewedClocksTest {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private record Grant(long before, long after) {}

  @Test
  void limitsHoldOnTheTrueClockWhenJvmClocksDisagree() {
    String key = "user:" + UUID.randomUUID();
    List<JvmNode> nodes = new ArrayList<>();
    Map<String, List<Grant>> all = new HashMap<>();
    Map<String, int[]> perNode = new HashMap<>();
    try {
      for (long skew : new long[] {0, 5_000}) {
        nodes.add(JvmNode.start("skew" + skew, SkewedLimiterNode.class,
            List.of(Long.toString(skew), "25", key),
            Map.of("REDIS_URL", REDIS.server().url()), List.of()));
      }
      for (JvmNode node : nodes) {
        node.awaitLine("READY", Duration.ofSeconds(60));
      }
      nodes.forEach(node -> node.send("GO"));
      for (int n = 0; n < nodes.size(); n++) {
        nodes.get(n).awaitLine("DONE", Duration.ofSeconds(90));
        for (String line : nodes.get(n).output().lines().toList()) {
          if (line.startsWith("GRANT ")) {
            String[] parts = line.split(" ");
            all.computeIfAbsent(parts[1], a -> new ArrayList<>())
                .add(new Grant(Long.parseLong(parts[2]), Long.parseLong(parts[3])));
            perNode.computeIfAbsent(parts[1], a -> new int[2])[n]++;
          }
        }
      }
    } finally {
      nodes.forEach(JvmNode::close);
    }
    long period = SkewedLimiterNode.PERIOD.toMillis();
    long limit = SkewedLimiterNode.LIMIT;
    for (String algorithm : List.of("fixed", "sliding", "bucket")) {
      List<Grant> grants = all.getOrDefault(algorithm, List.of());
      int[] split = perNode.getOrDefault(algorithm, new int[2]);
      System.out.println(algorithm + ": " + grants.size() + " granted, " + split[0] + " to the "
          + "JVM on time, " + split[1] + " to the JVM 5 s ahead; most in one "
          + (algorithm.equals("fixed") ? "calendar window" : "10 s interval") + ": "
          + most(grants, algorithm, period));
      assertTrue(grants.size() >= 2 * limit, algorithm + ": the limit was reached at all ("
          + grants.size() + ")");
      long allowed = algorithm.equals("bucket") ? 2 * limit : limit;
      assertTrue(most(grants, algorithm, period) <= allowed, algorithm + " granted "
          + most(grants, algorithm, period) + " in one span, more than " + allowed);
      for (int share : split) {
        assertTrue(share * 3 >= grants.size(), algorithm + ": a JVM was starved "
            + java.util.Arrays.toString(split));
      }
    }
  }

  /**
   * The most grants known to lie within one calendar window (fixed), or within one interval of
   * the period starting at any grant (sliding window, bucket).
   */
  private static long most(List<Grant> grants, String algorithm, long period) {
    long most = 0;
    for (Grant start : grants) {
      long from = algorithm.equals("fixed") ? Math.floorDiv(start.before(), period) * period
          : start.before();
      long to = from + period;
      long inside = grants.stream().filter(g -> g.before() >= from && g.after() < to).count();
      most = Math.max(most, inside);
    }
    return most;
  }
}
