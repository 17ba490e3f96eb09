package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.codec.CodecException;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.TestClock;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.util.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis mode against a redis-server of the test's own. */
class RedisModeTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private final List<CacheManager> managers = new ArrayList<>();

  @AfterEach
  void closeManagers() {
    managers.forEach(CacheManager::close);
  }

  /** A manager as another JVM would open it: its own provider, the same URI and Redis. */
  private CacheManager manager(String uri, Clock clock) {
    CacheManager manager = Managers.inOwnProvider(uri, clock, Map.of("REDIS_URL", redis.url()));
    managers.add(manager);
    return manager;
  }

  private CacheManager manager() {
    return manager("app", Clock.SYSTEM);
  }

  /**
   * Store-by-reference is refused in Redis mode, as the specification lets a provider refuse an
   * unsupported feature (and the TCK expects), with what to do instead; fallback mode keeps the
   * reference, as asked.
   */
  @Test
  void storeByReferenceIsRefusedSayingWhatToDo() {
    MutableConfiguration<String, StringBuilder> byReference =
        new MutableConfiguration<String, StringBuilder>().setStoreByValue(false);
    CacheManager shared = manager();
    UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
        () -> shared.createCache("by-reference", byReference));
    assertTrue(refused.getMessage().contains("Use store-by-value"), refused.getMessage());
    assertNull(shared.getCache("by-reference"), "nothing half made");

    CacheManager fallback = Managers.fresh();
    managers.add(fallback);
    Cache<String, StringBuilder> local = fallback.createCache("by-reference", byReference);
    assertFalse(local.getConfiguration(CompleteConfiguration.class).isStoreByValue());
    StringBuilder value = new StringBuilder("Dune");
    local.put("1", value);
    assertSame(value, local.get("1"));
  }

  /** A declared cache asking for it fails when the manager opens, naming the setting. */
  @Test
  void aDeclaredStoreByReferenceCacheFailsTheManagerInRedisMode() {
    java.util.Properties properties = new java.util.Properties();
    properties.put(io.github.cachelayer.util.ManagerOverrides.ENVIRONMENT,
        Map.of("REDIS_URL", redis.url()));
    properties.put(io.github.cachelayer.util.ManagerOverrides.SETTINGS,
        Map.of("cachelayer.caches.legacy.store-by-value", "false"));
    javax.cache.CacheException refused = assertThrows(javax.cache.CacheException.class,
        () -> new io.github.cachelayer.CacheLayerCachingProvider().getCacheManager(
            URI.create("declared-by-reference"), getClass().getClassLoader(), properties));
    assertTrue(refused.getMessage().contains("cachelayer.caches.legacy.store-by-value"),
        refused.getMessage());
  }

  @Test
  void runsInRedisModeAndSharesEntriesBetweenManagers() {
    CacheManager first = manager();
    CacheManager second = manager();
    assertEquals("redis", ((CacheLayerCacheManager) first).mode());
    Cache<String, String> a = first.createCache("users", new MutableConfiguration<>());
    Cache<String, String> b = second.createCache("users", new MutableConfiguration<>());
    a.put("42", "Ada");
    assertEquals("Ada", b.get("42"));
    assertTrue(b.replace("42", "Ada", "Grace"));
    assertEquals("Grace", a.get("42"));
    assertTrue(a.remove("42"));
    assertNull(b.get("42"));
  }

  @Test
  void keysAreReadableAndNamespacedPerUriAndCache() {
    Cache<Object, String> cache = manager().createCache("users", new MutableConfiguration<>());
    cache.put("42", "Ada");
    cache.put(7L, "long");
    cache.put("#tag", "hash");
    String raw = (String) redis.call("GET", "app:users:42");
    assertTrue(raw.startsWith("19999999999999"), "format byte and eternal expiry first: " + raw);
    assertNotNull(redis.call("GET", "app:users:#l:7"));
    assertNotNull(redis.call("GET", "app:users:#s:#tag"));
    List<Object> keys = new ArrayList<>();
    cache.forEach(entry -> keys.add(entry.getKey()));
    assertEquals(Set.of("42", 7L, "#tag"), Set.copyOf(keys));
  }

  @Test
  void clearAndRemoveAllTouchOnlyTheirOwnCache() {
    CacheManager manager = manager();
    Cache<String, String> users = manager.createCache("users", new MutableConfiguration<>());
    Cache<String, String> usersArchive = manager.createCache("users:archive",
        new MutableConfiguration<>());
    Cache<String, String> otherApp = manager("other-app", Clock.SYSTEM)
        .createCache("users", new MutableConfiguration<>());
    for (int i = 0; i < 50; i++) {
      users.put("k" + i, "v");
      usersArchive.put("k" + i, "v");
      otherApp.put("k" + i, "v");
    }
    redis.call("SET", "unrelated", "x");
    users.clear();
    assertNull(users.get("k1"));
    assertEquals("v", usersArchive.get("k1"));
    assertEquals("v", otherApp.get("k1"));
    usersArchive.removeAll();
    assertNull(usersArchive.get("k1"));
    assertEquals("v", otherApp.get("k1"));
    assertEquals("x", redis.call("GET", "unrelated"));
  }

  @Test
  void expiryIsLogicalAndRedisReclaimsTheRest() {
    TestClock clock = new TestClock();
    Cache<String, String> cache = manager("app", clock).createCache("c",
        new MutableConfiguration<String, String>().setExpiryPolicyFactory(
            CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10))));
    cache.put("k", "v");
    long ttl = (Long) redis.call("PTTL", "app:c:k");
    assertTrue(ttl > 10_000 && ttl <= 40_000, "Redis keeps it for the duration plus retention: " + ttl);
    clock.advance(Duration.ofSeconds(10));
    assertNull(cache.get("k"), "expired by the cache's clock");
    assertEquals(0L, redis.call("EXISTS", "app:c:k"), "and reclaimed on that read");
  }

  @Test
  void eternalEntriesHaveNoTtl() {
    Cache<String, String> cache = manager().createCache("c", new MutableConfiguration<>());
    cache.put("k", "v");
    assertEquals(-1L, redis.call("PTTL", "app:c:k"));
  }

  @Test
  void undecodableValueIsAMissAndCanBeOverwritten() {
    Cache<String, String> cache = manager().createCache("c", new MutableConfiguration<>());
    redis.call("SET", "app:c:k", "garbage written by someone else");
    assertNull(cache.get("k"));
    assertFalse(cache.containsKey("k"));
    cache.put("k", "fresh");
    assertEquals("fresh", cache.get("k"));
  }

  @Test
  void undecodableValueThrowsWhenConfiguredTo() {
    Cache<String, String> cache = manager().createCache("c", new CacheLayerConfiguration<String, String>()
        .setDecodeFailure(CacheLayerConfiguration.DecodeFailure.THROW));
    redis.call("SET", "app:c:k", "garbage written by someone else");
    CodecException thrown = assertThrows(CodecException.class, () -> cache.get("k"));
    assertTrue(thrown.getMessage().contains("'c'"), thrown.getMessage());
    // An operation that returns the previous value throws before it writes anything.
    assertThrows(CodecException.class, () -> cache.getAndPut("k", "new"));
    assertThrows(CodecException.class, () -> cache.getAndRemove("k"));
    assertThrows(CodecException.class, () -> cache.getAndReplace("k", "new"));
    assertEquals("garbage written by someone else", redis.call("GET", "app:c:k"));
    cache.put("k", "fresh"); // a plain put needs no previous value
    assertEquals("fresh", cache.get("k"));
  }

  /** A class no cache allows unless told to or it wrote one itself. */
  static final class Secret {
    String text = "s";
  }

  @Test
  void aCacheReadsBackWhatItWroteButNoOtherClasses() {
    CacheManager manager = manager();
    Cache<String, Object> cache = manager.createCache("own", new MutableConfiguration<>());
    cache.put("k", new Secret());
    assertEquals("s", ((Secret) cache.get("k")).text, "a class this cache wrote is not arbitrary");

    // The same bytes under another cache, which never wrote a Secret: refused, never instantiated.
    Cache<String, Object> other = manager.createCache("other", new MutableConfiguration<>());
    redis.call("COPY", "app:own:k", "app:other:k");
    assertNull(other.get("k"));

    // Another JVM that never wrote one refuses too, unless its configuration allows the class.
    Cache<String, Object> elsewhere = manager("app", Clock.SYSTEM).createCache("own",
        new MutableConfiguration<>());
    assertNull(elsewhere.get("k"));
    Cache<String, Object> allowing = manager("app", Clock.SYSTEM).createCache("own",
        new CacheLayerConfiguration<String, Object>()
            .setAllowedClasses(List.of("io.github.cachelayer.redis.store.*")));
    assertEquals("s", ((Secret) allowing.get("k")).text);
  }

  @Test
  void entryProcessorsAreAtomicAcrossManagers() throws Exception {
    CacheManager one = manager();
    CacheManager two = manager();
    Cache<String, Integer> a = one.createCache("counters", new MutableConfiguration<>());
    Cache<String, Integer> b = two.createCache("counters", new MutableConfiguration<>());
    int threads = 4;
    int increments = 500;
    io.github.cachelayer.testing.Increments.concurrently(List.of(a, b), threads, increments);
    assertEquals(2 * threads * increments, a.get("n"));
  }
}
