package io.github.cachelayer.helpers;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.util.Map;
import java.util.UUID;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The helper suite on CacheLayer in Redis mode, where the helpers' processors run as scripts:
 * on a controllable clock, and on the system clock with short real TTLs (Redis's own expiry).
 * Limits are decided on Redis's clock there, so the suite's tests that move a limiter's clock by
 * hand do not apply; {@code redis.helpers.RateLimitScriptTest} holds the script to
 * {@code RateLimit.decide} at chosen times instead, and {@code SkewedClocksTest} and
 * {@code HelperScriptsTest} hold the decisions to Redis's clock.
 */
class HelpersOnRedisTest {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @Nested
  class OnAControllableClock extends HelperSuite {
    @Override
    protected boolean limitsDecideOnTheLimitersClock() {
      return false;
    }

    @Override
    protected CacheManager openManager() {
      return Managers.inOwnProvider("helpers-" + UUID.randomUUID(), controllableClock::millis,
          Map.of("REDIS_URL", REDIS.server().url()));
    }
  }

  @Nested
  @Tag("slow") // waits for real TTLs to pass
  class OnRealTime extends HelperSuite.OnRealTime {
    @Override
    protected boolean limitsDecideOnTheLimitersClock() {
      return false;
    }

    @Override
    protected CacheManager openManager() {
      return Managers.inOwnProvider("helpers-" + UUID.randomUUID(),
          Map.of("REDIS_URL", REDIS.server().url()));
    }
  }
}
