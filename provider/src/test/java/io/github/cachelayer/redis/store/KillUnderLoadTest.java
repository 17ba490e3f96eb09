package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.CheckedLoad;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 30 s of checked mixed load ({@link CheckedLoad}) by 4 threads; Redis is SIGKILLed at 8 s and
 * restarted at 14 s, empty or from its append-only file. Every failure is a
 * RedisUnavailableException, no read contradicts the acknowledged writes, and Redis serves again
 * within 5 s of the restart.
 */
@Tag("fault") // redis-server killed under load
class KillUnderLoadTest {
  @ParameterizedTest(name = "restart {0}")
  @ValueSource(strings = {"empty", "from its append-only file"})
  void noReadContradictsTheAcknowledgedWrites(String restart) throws Exception {
    boolean persistent = restart.startsWith("from");
    int port = RedisServer.freePort();
    RedisServer redis = persistent
        ? RedisServer.start(port, "--appendonly", "yes", "--appendfsync", "always")
        : RedisServer.start(port);
    try (CacheManager manager = Managers.inOwnProvider("kill-" + persistent,
        Map.of("REDIS_URL", redis.url()), Map.of("on-outage", "fail", "timeout", "500ms",
            "retries", "1", "retry-interval", "100ms"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      CheckedLoad load = CheckedLoad.start(cache, 4, 25, 30_000);
      Thread.sleep(8_000);
      redis.kill();
      Thread.sleep(6_000);
      redis = redis.startAgain();
      load.mark();
      load.join();
      System.out.printf("restart %s: %d calls, %d failed, first success %.2f s after the "
          + "restart%n", restart, load.calls(), load.failures(),
          load.secondsToFirstSuccessAfterMark());
      assertTrue(load.problems().isEmpty(), load.problems().stream().limit(10).toList().toString());
      assertTrue(load.failures() > 0, "the outage was felt");
      assertTrue(load.secondsToFirstSuccessAfterMark() <= 5.0,
          "Redis served again " + load.secondsToFirstSuccessAfterMark() + " s after the restart");
    } finally {
      redis.close();
    }
  }
}
