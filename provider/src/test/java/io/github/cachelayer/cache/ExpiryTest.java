package io.github.cachelayer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.RecordingListener;
import io.github.cachelayer.testing.TestClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry on a controllable clock: no sleeps, exact boundaries. */
class ExpiryTest {
  private final TestClock clock = new TestClock();
  private final CacheManager manager = Managers.fresh(clock);

  @AfterEach
  void close() {
    manager.close();
  }

  private Cache<String, String> cache(javax.cache.configuration.Factory<? extends ExpiryPolicy> policy) {
    return manager.createCache("c", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setExpiryPolicyFactory(policy));
  }

  private static javax.cache.expiry.Duration seconds(long seconds) {
    return new javax.cache.expiry.Duration(TimeUnit.SECONDS, seconds);
  }

  /** Reading the time is not free on every machine (a VM's clock source may trap). */
  @Test
  void eternalEntriesAreServedWithoutReadingTheClock() {
    Cache<String, String> cache = manager.createCache("eternal",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    cache.put("k", "v");
    long reads = clock.reads();
    cache.put("k", "v2");
    assertEquals("v2", cache.get("k"));
    assertTrue(cache.containsKey("k"));
    assertTrue(cache.replace("k", "v3"));
    cache.putAll(java.util.Map.of("a", "1", "b", "2"));
    assertEquals(java.util.Map.of("a", "1"), cache.getAll(java.util.Set.of("a")));
    assertEquals(reads, clock.reads());
  }

  @Test
  void createdEntryExpiresExactlyAtItsDuration() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(seconds(10)));
    cache.put("k", "v");
    clock.advance(Duration.ofMillis(9_999));
    assertEquals("v", cache.get("k"));
    clock.advance(Duration.ofMillis(1));
    assertNull(cache.get("k"));
    assertFalse(cache.containsKey("k"));
  }

  @Test
  void accessExtendsAnAccessedEntry() {
    Cache<String, String> cache = cache(AccessedExpiryPolicy.factoryOf(seconds(10)));
    cache.put("k", "v");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(9));
      assertEquals("v", cache.get("k"), "read " + i + " keeps the entry alive");
    }
    clock.advance(Duration.ofSeconds(10));
    assertNull(cache.get("k"));
  }

  @Test
  void updateExtendsAModifiedEntryButReadsDoNot() {
    Cache<String, String> cache = cache(ModifiedExpiryPolicy.factoryOf(seconds(10)));
    cache.put("k", "v1");
    clock.advance(Duration.ofSeconds(8));
    assertEquals("v1", cache.get("k"));
    cache.put("k", "v2");
    clock.advance(Duration.ofSeconds(8));
    assertEquals("v2", cache.get("k"), "the update restarted the 10 s");
    clock.advance(Duration.ofSeconds(2));
    assertNull(cache.get("k"), "the read did not extend it");
  }

  @Test
  void expiredEntryRaisesOneExpiredEventWithItsValue() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(seconds(1)));
    RecordingListener<String, String> listener = new RecordingListener<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, true));
    cache.put("k", "v");
    clock.advance(Duration.ofSeconds(1));
    assertNull(cache.get("k"));
    assertNull(cache.get("k"));
    assertEquals(2, listener.events.size(), listener.events.toString());
    assertEquals(EventType.CREATED, listener.events.get(0).getEventType());
    assertEquals(EventType.EXPIRED, listener.events.get(1).getEventType());
    assertEquals("v", listener.events.get(1).getOldValue());
  }

  @Test
  void putOverAnExpiredEntryIsACreation() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(seconds(1)));
    cache.put("k", "old");
    clock.advance(Duration.ofSeconds(2));
    assertNull(cache.getAndPut("k", "new"), "the expired value is never returned");
    assertEquals("new", cache.get("k"));
    assertTrue(cache.putIfAbsent("other", "x"));
  }

  @Test
  void zeroCreationDurationStoresNothing() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(
        javax.cache.expiry.Duration.ZERO));
    cache.put("k", "v");
    assertFalse(cache.containsKey("k"));
    assertNull(cache.get("k"));
  }

  @Test
  void expiredEntriesAreNotIterated() {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(seconds(5)));
    cache.put("old", "1");
    clock.advance(Duration.ofSeconds(3));
    cache.put("young", "2");
    clock.advance(Duration.ofSeconds(3));
    int count = 0;
    for (Cache.Entry<String, String> entry : cache) {
      assertEquals("young", entry.getKey());
      count++;
    }
    assertEquals(1, count);
  }
}
