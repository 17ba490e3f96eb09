package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many threads of one JVM on one key through the general invoke path (compare-and-set, combined
 * under contention): every caller gets its own result or its own exception, nothing is lost or
 * applied twice, and a reader never sees a count going backwards.
 */
class HotKeyTest {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private CacheManager manager;
  private Cache<String, Integer> counters;
  private String uri;

  @BeforeEach
  void open() {
    uri = "hot-" + UUID.randomUUID();
    manager = Managers.inOwnProvider(uri, Map.of("REDIS_URL", REDIS.server().url()));
    counters = manager.createCache("counters",
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static final EntryProcessor<String, Integer, Integer> INCREMENT = (entry, args) -> {
    int next = entry.exists() ? entry.getValue() + 1 : 1;
    if ((Integer) args[0] % 7 == 0) {
      throw new IllegalStateException("refused round " + args[0]);
    }
    entry.setValue(next);
    return next;
  };

  private static final EntryProcessor<String, Integer, Integer> READ =
      (entry, args) -> entry.exists() ? entry.getValue() : 0;

  @Test
  void contendedProcessorsEachGetTheirOwnOutcome() throws Exception {
    int threads = 8;
    int rounds = 300;
    AtomicInteger applied = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Integer> results = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < rounds; i++) {
            try {
              results.add(counters.invoke("hot", INCREMENT, i));
              applied.incrementAndGet();
            } catch (EntryProcessorException e) {
              assertTrue(e.getCause().getMessage().startsWith("refused"), e.toString());
              refused.incrementAndGet();
            }
          }
        }));
      }
      done.add(pool.submit(() -> {
        int last = 0;
        for (int i = 0; i < 500; i++) {
          int seen = counters.invoke("hot", READ);
          assertTrue(seen >= last, "went back from " + last + " to " + seen);
          last = seen;
        }
      }));
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * rounds, applied.get() + refused.get());
    assertEquals(applied.get(), counters.get("hot"), "every applied increment counted once");
    assertEquals(applied.get(), results.stream().distinct().count(),
        "each caller saw its own result");
    assertEquals(threads * ((rounds + 6) / 7), refused.get(), "every seventh round refused");
  }

  /** While another JVM listens, contended writes are not combined: it hears every one. */
  @Test
  void anotherJvmsListenerHearsEveryContendedWrite() throws Exception {
    CacheManager other = Managers.inOwnProvider(uri, Map.of("REDIS_URL", REDIS.server().url()));
    try {
      Cache<String, Integer> listened = other.createCache("counters",
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
      AtomicInteger heard = Heard.COUNT;
      heard.set(0);
      listened.registerCacheEntryListener(
          new javax.cache.configuration.MutableCacheEntryListenerConfiguration<>(
              javax.cache.configuration.FactoryBuilder.factoryOf(Heard.class), null, false,
              false));
      io.github.cachelayer.testing.Conditions.await("the listener count reaches this JVM",
          () -> {
            counters.put("probe", 0);
            return heard.get() > 0;
          });
      Thread.sleep(200); // the probes' events in flight
      heard.set(0);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          done.add(pool.submit(() -> {
            for (int i = 1; i <= 50; i++) {
              counters.invoke("hot", INCREMENT, 1); // round 1: never refused
            }
          }));
        }
        for (Future<?> future : done) {
          future.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      int applied = counters.get("hot");
      io.github.cachelayer.testing.Conditions.await(applied + " events heard",
          () -> heard.get() >= applied);
      Thread.sleep(200);
      assertEquals(applied, heard.get(), "events heard");
    } finally {
      other.close();
    }
  }

  /** Counts created and updated events. */
  public static final class Heard implements java.io.Serializable,
      javax.cache.event.CacheEntryCreatedListener<String, Integer>,
      javax.cache.event.CacheEntryUpdatedListener<String, Integer> {
    static final AtomicInteger COUNT = new AtomicInteger();
    private final AtomicInteger count = COUNT;

    @Override
    public void onCreated(Iterable<javax.cache.event.CacheEntryEvent<? extends String,
        ? extends Integer>> events) {
      events.forEach(e -> count.incrementAndGet());
    }

    @Override
    public void onUpdated(Iterable<javax.cache.event.CacheEntryEvent<? extends String,
        ? extends Integer>> events) {
      events.forEach(e -> count.incrementAndGet());
    }
  }
}
