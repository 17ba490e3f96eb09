package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.config.Config;
import io.github.cachelayer.redis.link.CallBudget;
import io.github.cachelayer.redis.link.LinkSettings;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.testing.redis.FaultProxy;
import io.github.cachelayer.testing.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller that waited for another thread's deletion, which Redis answered, deletes the keys
 * that came while it ran instead of failing: at the end of an outage under load, refused calls
 * keep adding keys, and failing there counted as Redis not answering, reopened the circuit
 * breaker and kept a recovered Redis refused for seconds ({@code KillUnderLoadTest} once took
 * 9 s to serve again).
 */
class UnsettledKeysTest {
  @Test
  void aCallerThatWaitedForADeletionRedisAnsweredDeletesWhatCameMeanwhile() throws Exception {
    try (RedisServer redis = RedisServer.start();
        FaultProxy proxy = new FaultProxy(redis.port())) {
      Config config = new Config();
      config.useSingleServer().setAddress(proxy.url());
      RedissonClient client = Redisson.create(config);
      RedisLink link = RedisLink.of(client, new LinkSettings(5_000_000_000L, 5_000_000_000L, 3,
          100_000_000L, 4, true));
      UnsettledKeys unsettled = new UnsettledKeys(link, "c", () -> { });
      try {
        redis.call("SET", "first", "1");
        redis.call("SET", "second", "2");
        unsettled.add(List.of("first"));
        // The first deletion is held in the network: its thread holds the lock meanwhile.
        proxy.holdNext("UNLINK", Duration.ofMillis(700));
        CompletableFuture<Void> settler = CompletableFuture.runAsync(() -> settle(unsettled));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (proxy.heldStarted() == 0) {
          assertTrue(System.nanoTime() < deadline, "the deletion was not sent");
          Thread.sleep(5);
        }
        // A key comes while it runs (a call refused meanwhile), and a caller arrives.
        unsettled.add(List.of("second"));
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> settle(unsettled));
        settler.get(10, TimeUnit.SECONDS);
        waiter.get(10, TimeUnit.SECONDS); // threw "did not answer" before
        assertTrue(unsettled.isEmpty(), unsettled.pending().toString());
        assertEquals(0L, redis.call("EXISTS", "first", "second"));
      } finally {
        unsettled.close();
        link.close();
        client.shutdown();
      }
    }
  }

  private static void settle(UnsettledKeys unsettled) {
    try (CallBudget.Scope scope = CallBudget.open(TimeUnit.SECONDS.toNanos(5))) {
      unsettled.settle();
    }
  }
}
