package io.github.cachelayer.store.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 30 s of mixed load by 4 threads (each owning its keys, so every key has one history); Redis is
 * SIGKILLed at 8 s and restarted at 14 s, empty or from its append-only file. Every failure is a
 * {@link RedisUnavailableException}; no read contradicts the history: a read returns nothing, a
 * value written by a call that failed (it may have landed), or the last acknowledged value if no
 * write or remove of the key failed since; never anything older than a failed write, nor a value
 * an acknowledged remove or put replaced. Redis serves again within 5 s of the restart.
 */
class KillUnderLoadTest {
  private static final int THREADS = 4;
  private static final int KEYS_PER_THREAD = 25;

  /** One key's history as its only writer saw it. */
  private static final class History {
    /** The last acknowledged value; null after an acknowledged remove, or before any write. */
    String acknowledged;
    /** Values of writes since then that failed, so may or may not have landed. */
    final Set<String> uncertain = new HashSet<>();
    /** Whether a remove since the acknowledgment failed (it may have landed too). */
    boolean uncertainRemove;
  }

  @ParameterizedTest(name = "restart {0}")
  @ValueSource(strings = {"empty", "from its append-only file"})
  void noReadContradictsTheAcknowledgedWrites(String restart) throws Exception {
    boolean persistent = restart.startsWith("from");
    int port = RedisServer.freePort();
    RedisServer redis = persistent
        ? RedisServer.start(port, "--appendonly", "yes", "--appendfsync", "always")
        : RedisServer.start(port);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong restartedAt = new AtomicLong();
    AtomicLong firstSuccessAfterRestart = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    try (CacheManager manager = Managers.inOwnProvider("kill-" + persistent,
        Map.of("REDIS_URL", redis.url()), Map.of("on-outage", "fail", "timeout", "500ms",
            "retries", "1", "retry-interval", "100ms"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      long start = System.nanoTime();
      long end = start + 30_000_000_000L;
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread worker = new Thread(() -> {
          Map<String, History> histories = new java.util.HashMap<>();
          long version = 0;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (System.nanoTime() < end) {
            String key = "t" + thread + "-k" + random.nextInt(KEYS_PER_THREAD);
            History history = histories.computeIfAbsent(key, k -> new History());
            int choice = random.nextInt(10);
            String value = key + "-v" + (++version);
            calls.incrementAndGet();
            try {
              if (choice < 4) {
                cache.put(key, value);
                history.acknowledged = value;
                history.uncertain.clear();
                history.uncertainRemove = false;
              } else if (choice < 5) {
                cache.remove(key);
                history.acknowledged = null;
                history.uncertain.clear();
                history.uncertainRemove = false;
              } else {
                String read = cache.get(key);
                boolean settled = history.uncertain.isEmpty() && !history.uncertainRemove;
                if (read != null && !history.uncertain.contains(read)
                    && !(settled && read.equals(history.acknowledged))) {
                  problems.add(key + ": read " + read + ", acknowledged " + history.acknowledged
                      + ", uncertain " + history.uncertain);
                }
              }
              if (restartedAt.get() != 0 && firstSuccessAfterRestart.get() == 0) {
                firstSuccessAfterRestart.compareAndSet(0, System.nanoTime());
              }
            } catch (RedisUnavailableException e) {
              failures.incrementAndGet();
              if (choice < 4) {
                history.uncertain.add(value);
              } else if (choice < 5) {
                history.uncertainRemove = true;
              }
            } catch (RuntimeException | Error e) {
              problems.add("unexpected " + e);
            }
          }
        });
        workers.add(worker);
        worker.start();
      }
      Thread.sleep(8_000);
      redis.kill();
      Thread.sleep(6_000);
      redis = redis.startAgain();
      long restarted = System.nanoTime();
      restartedAt.set(restarted);
      for (Thread worker : workers) {
        worker.join();
      }
      double backAfter = firstSuccessAfterRestart.get() == 0 ? Double.MAX_VALUE
          : (firstSuccessAfterRestart.get() - restarted) / 1e9;
      System.out.printf("restart %s: %d calls, %d failed, first success %.2f s after the "
          + "restart%n", restart, calls.get(), failures.get(), backAfter);
      assertTrue(problems.isEmpty(), problems.stream().limit(10).toList().toString());
      assertTrue(failures.get() > 0, "the outage was felt");
      assertTrue(backAfter <= 5.0, "Redis served again " + backAfter + " s after the restart");
    } finally {
      redis.close();
    }
  }
}
