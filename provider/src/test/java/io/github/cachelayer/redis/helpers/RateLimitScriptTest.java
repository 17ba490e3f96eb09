package io.github.cachelayer.redis.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.ratelimit.LimiterState;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ratelimit.lua} against the Java decision it ports ({@code RateLimit.decide}), on times
 * the test chooses (the script's time arguments; the client sends them empty, for Redis's own
 * clock): the same random requests, with jumps across windows and past a state's lifetime, must
 * be granted alike and leave the same states, expiring when Java's would.
 */
class RateLimitScriptTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private static final long START = 1_700_000_040_000L;

  @ParameterizedTest
  @EnumSource(RateLimit.Algorithm.class)
  void theScriptDecidesAsJava(RateLimit.Algorithm algorithm) {
    RateLimit rule = switch (algorithm) {
      case FIXED_WINDOW -> RateLimit.fixedWindow(7, Duration.ofSeconds(2));
      case SLIDING_WINDOW -> RateLimit.slidingWindow(9, Duration.ofMillis(1_999), 7);
      case TOKEN_BUCKET -> RateLimit.tokenBucket(8, 3, Duration.ofMillis(700));
    };
    long lifetime = rule.stateLifetime().toMillis();
    Map<String, LimiterState> states = new HashMap<>();
    Map<String, Long> expiries = new HashMap<>();
    Random random = new Random(algorithm.ordinal());
    long now = START;
    int granted = 0;
    int denied = 0;
    for (int i = 0; i < 1_500; i++) {
      int step = random.nextInt(10);
      now += step < 6 ? random.nextInt(40) : step < 9 ? random.nextInt(900) : 5_000;
      String key = "rate:" + algorithm + ":k" + random.nextInt(3);
      long permits = 1 + random.nextInt((int) Math.min(rule.limit(), 4));
      if (expiries.containsKey(key) && now >= expiries.get(key)) {
        states.remove(key);
      }
      RateLimit.Outcome expected = rule.decide(states.get(key), permits, now);
      List<?> reply = eval(rule, key, permits, now, lifetime);
      boolean written = "W".equals(reply.get(1));
      assertEquals(expected.decision().allowed(), written, "request " + i + " at " + now);
      assertEquals(Long.toString(now), reply.get(4), "the time the script decided at");
      if (expected.next() != null) {
        states.put(key, expected.next());
        expiries.put(key, now + lifetime);
      }
      assertEquals(states.get(key), stored(key), "state after request " + i);
      if (written) {
        granted++;
      } else {
        denied++;
      }
    }
    assertTrue(granted > 100 && denied > 100, granted + " granted, " + denied + " denied");
  }

  @Test
  void emptyTimesDecideOnRedissClock() {
    RateLimit rule = RateLimit.fixedWindow(3, Duration.ofMinutes(1));
    long before = System.currentTimeMillis();
    List<?> reply = evalOnRedisTime(rule, "rate:server-time", 1,
        rule.stateLifetime().toMillis());
    long after = System.currentTimeMillis();
    long decided = Long.parseLong((String) reply.get(4));
    assertTrue(decided >= before - 5 && decided <= after + 5, "Redis's time: " + decided);
    assertEquals(Math.floorDiv(decided, 60_000L), stored("rate:server-time").get(0));
  }

  private static List<?> eval(RateLimit rule, String key, long permits, long now,
      long lifetime) {
    return run(rule, key, permits, Long.toString(now), lifetime);
  }

  private static List<?> evalOnRedisTime(RateLimit rule, String key, long permits,
      long lifetime) {
    return run(rule, key, permits, "", lifetime);
  }

  private static List<?> run(RateLimit rule, String key, long permits, String now,
      long lifetime) {
    String algorithm = switch (rule.algorithm()) {
      case FIXED_WINDOW -> "F";
      case SLIDING_WINDOW -> "S";
      case TOKEN_BUCKET -> "T";
    };
    long extra = rule.algorithm() == RateLimit.Algorithm.SLIDING_WINDOW
        ? rule.slots() : rule.refillPermits();
    List<String> command = new ArrayList<>(List.of("EVAL", ProcessorScripts.RATE_LIMIT.source(), "1",
        key, algorithm, Long.toString(rule.limit()), Long.toString(rule.period().toMillis()),
        Long.toString(extra), Long.toString(permits), now, now, Long.toString(lifetime),
        Long.toString(lifetime), "30000"));
    return (List<?>) redis.call(command.toArray(String[]::new));
  }

  /** The numbers of the state stored under {@code key}, or null. */
  private static LimiterState stored(String key) {
    Object raw = redis.call("GET", key);
    if (raw == null) {
      return null;
    }
    String text = (String) raw;
    // The entry header ("1" and 13 expiry digits), then the record's zero byte and letter.
    String numbers = text.substring(14 + 2);
    if (numbers.isEmpty()) {
      return new LimiterState();
    }
    return new LimiterState(java.util.Arrays.stream(numbers.split(","))
        .mapToLong(Long::parseLong).toArray());
  }
}
