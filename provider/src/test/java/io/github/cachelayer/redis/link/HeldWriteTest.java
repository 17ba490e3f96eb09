package io.github.cachelayer.redis.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.cache.AsyncCache;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.FaultProxy;
import io.github.cachelayer.testing.redis.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A write held up in the network (a proxy holds the bytes of one SET for 1.5 s, past the
 * command timeout, while the socket stays open) must not land after a later acknowledged write
 * of the same key. The link kills the connection that carried it on the server before it sends
 * the write again (retries) or before the key is settled (no retries), so the held bytes reach a
 * connection Redis has closed: the proxy counts them refused, and the later value stays. The
 * same through the asynchronous view, whose write is sent with no thread waiting.
 */
@Tag("fault") // writes held in TCP by a proxy
class HeldWriteTest {
  private static final int RUNS = 5;

  @ParameterizedTest(name = "retries = {0}, through the asynchronous view: {1}")
  @CsvSource({"2, false", "0, false", "2, true", "0, true"})
  void aHeldWriteNeverLandsAfterALaterOne(int retries, boolean async) throws Exception {
    try (RedisServer redis = RedisServer.start();
        FaultProxy proxy = new FaultProxy(redis.port());
        CacheManager manager = Managers.inOwnProvider("held-" + UUID.randomUUID(),
            Map.of("REDIS_URL", proxy.url()),
            Map.of("timeout", "500ms", "retries", Integer.toString(retries),
                "retry-interval", "50ms", "on-outage", "fail", "breaker-failures", "0"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      AtomicBoolean running = new AtomicBoolean(true);
      Thread others = new Thread(() -> {
        // Other threads keep the connections busy meanwhile.
        while (running.get()) {
          try {
            cache.get("busy");
          } catch (RuntimeException ignored) {
            // a read caught in the held connection fails with it
          }
        }
      });
      others.start();
      try {
        for (int run = 1; run <= RUNS; run++) {
          String key = "k" + run;
          cache.put(key, "warm");
          // Kryo writes a string's last character with its high bit set: match before it.
          proxy.holdNext("first-", Duration.ofMillis(1_500));
          long start = System.nanoTime();
          boolean failed = false;
          try {
            if (async) {
              cache.unwrap(AsyncCache.class).put(key, "first-" + run).join();
            } else {
              cache.put(key, "first-" + run);
            }
          } catch (RedisUnavailableException e) {
            failed = true;
          }
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertEquals(1, proxy.heldStarted() - (run - 1), "the proxy held the first put");
          // The asynchronous view's attempt, unanswered, leaves its key to be settled (deleted
          // once the connection is fenced) and the synchronous put runs after that.
          assertEquals(retries == 0 && !async, failed, "with retries the put is sent again "
              + "once its connection is fenced, without them it fails (" + millis + " ms)");
          if (async) {
            assertEquals("first-" + run, cache.get(key), "the asynchronous put wrote");
          }
          assertTrue(millis < 1_500, "the first put returned before the held bytes were "
              + "released (" + millis + " ms)");
          cache.put(key, "second-" + run);
          assertEquals("second-" + run, cache.get(key));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (proxy.heldDelivered() + proxy.heldRefused() < run) {
            assertTrue(System.nanoTime() < deadline, "the held bytes were never released");
            Thread.sleep(10);
          }
          assertEquals("second-" + run, cache.get(key), "run " + run + ": the held write "
              + "replaced a later one");
          assertEquals(0, proxy.heldDelivered(), "held bytes reached Redis after the fence");
        }
      } finally {
        running.set(false);
        others.join();
      }
    }
  }
}
