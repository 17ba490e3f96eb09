package io.github.cachelayer.redis.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Threads share one connection to a master: sixteen threads reading and writing at full speed
 * open no connection beyond the one a single thread uses, although twenty are allowed (a
 * connection per busy thread costs Redis a read and a write per command, which is what kept
 * throughput flat from 8 threads on).
 */
class ConnectionSharingTest {

  @Test
  void busyThreadsShareOneConnection() throws Exception {
    try (RedisServer redis = RedisServer.start();
        CacheManager manager = Managers.inOwnProvider("sharing-" + UUID.randomUUID(),
            Map.of("REDIS_URL", redis.url()), Map.of("pool-size", "20"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k0", "v");
      cache.get("k0");
      int before = clients(redis);

      AtomicLong calls = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Thread thread = new Thread(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (System.nanoTime() < end) {
            String key = "k" + random.nextInt(64);
            if (random.nextInt(10) == 0) {
              cache.put(key, "v" + random.nextInt());
            } else {
              cache.get(key);
            }
            calls.incrementAndGet();
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }

      assertTrue(calls.get() > 1_000, "the threads ran: " + calls.get() + " calls");
      assertEquals(before, clients(redis), "connections to Redis after 16 busy threads");
    }
  }

  /** Connections Redis has now, less the one this count is asked on. */
  private static int clients(RedisServer redis) {
    String list = (String) redis.call("CLIENT", "LIST");
    return (int) list.lines().filter(line -> !line.isBlank()).count() - 1;
  }
}
