package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.codec.HostilePayloads;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.session.SessionManager;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.testing.redis.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes planted in Redis under a cache's keys, read the ways an application reads: get, getAll,
 * iteration, the near cache, an entry processor, getAndPut, the session manager and the rate
 * limiter, and an event message published on the cache's channel. Runs in a JVM of 256 MB that
 * exits on the first OutOfMemoryError (the provider's pom). Every read is a miss (the value is
 * undecodable, one WARN) or a {@link CacheException}, each in under 100 ms; the heap is back to
 * where it started; an unreadable session is no session and an unreadable limiter state is no
 * state, never an exception.
 */
class HostileBytesTest {
  private static final long LIMIT_MILLIS = 100;
  private static final String HEADER = "19999999999999";
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  private static byte[] entry(byte[] payload) {
    byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[header.length + payload.length];
    System.arraycopy(header, 0, bytes, 0, header.length);
    System.arraycopy(payload, 0, bytes, header.length, payload.length);
    return bytes;
  }

  private static void plant(String redisKey, byte[] bytes) throws Exception {
    try (Resp resp = redis.server().connect()) {
      resp.callBytes("SET", redisKey.getBytes(StandardCharsets.UTF_8), bytes);
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong SLOWEST =
      new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicInteger READS =
      new java.util.concurrent.atomic.AtomicInteger();

  @org.junit.jupiter.api.AfterAll
  static void report() {
    System.out.println("hostile reads: " + READS + ", slowest " + SLOWEST + " ms");
  }

  /**
   * Plants bytes, and for a cache with a near cache waits until Redis's invalidation of the key
   * reached it: a copy of the key's earlier value may be served until then, as after any write
   * by another client (the near cache's documented invalidation delay).
   */
  private static void plantSeen(Cache<String, String> cache, String redisKey, byte[] bytes)
      throws Exception {
    var statistics = cache.unwrap(io.github.cachelayer.cache.CacheLayerCache.class)
        .nearCacheStatistics();
    long before = statistics == null ? 0 : statistics.invalidations();
    plant(redisKey, bytes);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (statistics != null && cache.unwrap(io.github.cachelayer.cache.CacheLayerCache.class)
        .nearCacheStatistics().invalidations() == before) {
      assertTrue(System.nanoTime() < deadline, "the planting's invalidation never arrived");
      Thread.sleep(5);
    }
  }

  /** Runs a read; it must miss (null) or throw a CacheException, quickly, never an Error. */
  private static void missOrRefusal(String what, Supplier<Object> read) {
    long start = System.nanoTime();
    Object value;
    try {
      value = read.get();
    } catch (CacheException refused) {
      value = null;
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    READS.incrementAndGet();
    SLOWEST.accumulateAndGet(millis, Math::max);
    assertTrue(millis < LIMIT_MILLIS, what + " took " + millis + " ms");
    assertTrue(value == null || value instanceof Boolean && !((Boolean) value)
        || value instanceof Map<?, ?> map && map.isEmpty(), what + " returned " + value);
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Test
  void plantedValuesAreMissesThroughEveryRead() throws Exception {
    try (CacheManager manager = Managers.inOwnProvider("hostile",
        Map.of("REDIS_URL", redis.url()))) {
      Cache<String, String> plain = manager.createCache("plain",
          new CacheLayerConfiguration<String, String>().setTypes(String.class, String.class));
      Cache<String, String> near = manager.createCache("near",
          new CacheLayerConfiguration<String, String>()
              .setNearCache(new NearCacheSettings(100, Duration.ofMinutes(1)))
              .setTypes(String.class, String.class));
      plain.put("warm", "up");
      plain.invoke("warm", (entry, args) -> entry.getValue());
      near.get("warm");
      long baseline = usedHeap();
      for (Map.Entry<String, byte[]> payload : HostilePayloads.all().entrySet()) {
        String what = payload.getKey();
        for (Cache<String, String> cache : List.of(plain, near)) {
          String name = cache.getName();
          plantSeen(cache, "hostile:" + name + ":k", entry(payload.getValue()));
          missOrRefusal(what + ", get from " + name, () -> cache.get("k"));
          missOrRefusal(what + ", get again from " + name, () -> cache.get("k"));
          missOrRefusal(what + ", getAll from " + name,
              () -> cache.getAll(Set.of("k", "absent")));
          missOrRefusal(what + ", containsKey in " + name, () -> cache.containsKey("k"));
          missOrRefusal(what + ", invoke on " + name,
              () -> cache.invoke("k", (entry, args) -> entry.getValue()));
          missOrRefusal(what + ", iteration of " + name, () -> {
            List<Object> values = new ArrayList<>();
            for (Cache.Entry<String, String> entry : cache) {
              if (entry.getKey().equals("k")) {
                values.add(entry.getValue());
              }
            }
            return values.isEmpty() ? null : values.get(0);
          });
          plantSeen(cache, "hostile:" + name + ":k", entry(payload.getValue()));
          missOrRefusal(what + ", getAndPut on " + name, () -> cache.getAndPut("k", "fresh"));
          assertEquals("fresh", cache.get("k"), "a write replaces the planted bytes");
        }
      }
      long grown = usedHeap() - baseline;
      assertTrue(grown < 32L << 20, "the heap grew by " + (grown >> 20) + " MB");
    }
  }

  @Test
  void aValueOfAnotherTypeIsNotHandedOutAsTheCachesType() throws Exception {
    try (CacheManager manager = Managers.inOwnProvider("hostile-types",
        Map.of("REDIS_URL", redis.url()))) {
      Cache<String, Object> untyped = manager.createCache("mixed",
          new CacheLayerConfiguration<String, Object>());
      untyped.put("k", Set.of(1, 2, 3));
      Cache<String, String> typed = manager.createCache("typed",
          new CacheLayerConfiguration<String, String>().setTypes(String.class, String.class));
      try (Resp resp = redis.server().connect()) {
        byte[] set = resp.callBytes("GET", "hostile-types:mixed:k");
        resp.callBytes("SET", "hostile-types:typed:k", set);
      }
      assertNull(typed.get("k"), "a Set read from a cache of strings");
      assertTrue(untyped.get("k") instanceof Set, "an untyped cache reads what it holds");
    }
  }

  @Test
  void unreadableSessionsAreNoSessionAndUnreadableLimitsNoState() throws Exception {
    try (CacheManager manager = Managers.inOwnProvider("hostile-helpers",
        Map.of("REDIS_URL", redis.url()))) {
      SessionManager sessions = SessionManager.builder(manager).build();
      RateLimiter limiter = RateLimiter.create(manager, "rate",
          RateLimit.slidingWindow(10, Duration.ofMinutes(1)));
      String real = sessions.create("alice", Map.of("theme", "dark"));
      long baseline = usedHeap();
      String id = real.substring(0, 31) + (real.charAt(31) == 'A' ? 'B' : 'A');
      for (String record : List.of("\0S-3:", "\0S2000000000:x", "\0Sabc",
          "\0S99999999999:x", "\0S1:a1:b1:11:11:1" + "5:xx")) {
        plant("hostile-helpers:session:" + id,
            entry(record.getBytes(StandardCharsets.ISO_8859_1)));
        long start = System.nanoTime();
        assertTrue(sessions.get(id).isEmpty(), "an unreadable session is none");
        plant("hostile-helpers:session:" + id,
            entry(record.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(sessions.update(id, Map.of("x", 1)).isEmpty(), "updating it finds none");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2 * LIMIT_MILLIS, "took " + millis + " ms");
      }
      assertEquals("dark", sessions.get(real).orElseThrow().attributes().get("theme"));
      for (String state : List.of("\0L-", "\0L1,,2", "\0L" + "1,".repeat(3_000) + "1",
          "\0Lx")) {
        plant("hostile-helpers:rate:user", entry(state.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(limiter.tryAcquire("user").allowed(), "an unreadable state counts as none");
      }
      long grown = usedHeap() - baseline;
      assertTrue(grown < 32L << 20, "the heap grew by " + (grown >> 20) + " MB");
    }
  }

  @Test
  void aPlantedEventMessageIsDroppedAndLaterEventsStillArrive() throws Exception {
    try (CacheManager listening = Managers.inOwnProvider("hostile-events",
            Map.of("REDIS_URL", redis.url()));
        CacheManager writing = Managers.inOwnProvider("hostile-events",
            Map.of("REDIS_URL", redis.url()))) {
      Cache<String, String> cache = listening.createCache("c",
          new CacheLayerConfiguration<String, String>().setTypes(String.class, String.class));
      List<String> created = new CopyOnWriteArrayList<>();
      cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
          FactoryBuilder.factoryOf((CacheEntryCreatedListener<String, String> & java.io.Serializable)
              events -> events.forEach(event -> created.add(event.getKey()))),
          null, false, true));
      Cache<String, String> writer = writing.createCache("c",
          new CacheLayerConfiguration<String, String>().setTypes(String.class, String.class));
      // An origin of 36 characters, then a created event whose key field claims 2^31 bytes.
      byte[] bomb = new byte[36 + 1 + 4 + 3];
      System.arraycopy("x".repeat(36).getBytes(StandardCharsets.US_ASCII), 0, bomb, 0, 36);
      bomb[36] = 'C';
      bomb[37] = 0x7f;
      bomb[38] = bomb[39] = bomb[40] = (byte) 0xff;
      try (Resp resp = redis.server().connect()) {
        resp.callBytes("PUBLISH", "hostile-events::events:c", bomb);
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (created.isEmpty() && System.nanoTime() < deadline) {
        writer.put("later-" + System.nanoTime(), "v");
        Thread.sleep(100);
      }
      assertTrue(!created.isEmpty(), "events after the planted one still arrive");
    }
  }
}
