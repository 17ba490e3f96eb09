package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.cache.Cache;

/**
 * {@link CacheLayerSpringCache} as Spring's caching aspect calls it, in one JVM, in fallback
 * mode and on Redis: Spring's conventions for retrieval, one load per key in a JVM, failures
 * passed through unchanged, and no caller's thread waiting for Redis.
 */
class CacheLayerSpringCacheTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private final List<CacheLayerCacheManager> managers = new ArrayList<>();

  @AfterEach
  void close() {
    managers.forEach(CacheLayerCacheManager::close);
  }

  @SuppressWarnings("unchecked")
  private CacheLayerSpringCache cache(String mode, boolean allowNullValues) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT,
        mode.equals("redis") ? Map.of("REDIS_URL", redis.url()) : Map.of());
    URI uri = URI.create("spring-cache-" + mode + "-" + managers.size());
    CacheLayerCacheManager manager = (CacheLayerCacheManager) new CacheLayerCachingProvider()
        .getCacheManager(uri, getClass().getClassLoader(), properties);
    managers.add(manager);
    CacheLayerCache<Object, Object> cache = manager.createCache("books",
        new MutableConfiguration<>()).unwrap(CacheLayerCache.class);
    return new CacheLayerSpringCache(cache, mode.equals("fallback"), allowNullValues);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void retrieveFollowsSpringsConventions(String mode) throws Exception {
    CacheLayerSpringCache cache = cache(mode, true);
    CompletableFuture<?> miss = cache.retrieve("1");
    if (mode.equals("fallback")) {
      assertNull(miss, "an in-memory miss is known at once");
    } else {
      assertNull(miss.get(10, TimeUnit.SECONDS), "a miss found later completes with null");
    }
    cache.put("1", "Dune");
    cache.put("none", null);
    Cache.ValueWrapper hit = (Cache.ValueWrapper) cache.retrieve("1").get(10, TimeUnit.SECONDS);
    assertEquals("Dune", hit.get());
    Cache.ValueWrapper cachedNull = (Cache.ValueWrapper) cache.retrieve("none")
        .get(10, TimeUnit.SECONDS);
    assertNull(cachedNull.get(), "a cached null is a wrapper holding null");

    CacheLayerSpringCache noNulls = cache(mode, false);
    noNulls.put("1", "Dune");
    assertEquals("Dune", noNulls.retrieve("1").get(10, TimeUnit.SECONDS), "the plain value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void concurrentRetrievalsOfAMissingKeyShareOneLoad(String mode) throws Exception {
    CacheLayerSpringCache cache = cache(mode, true);
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<String> method = new CompletableFuture<>();
    CompletableFuture<String> first = cache.retrieve("1", () -> {
      loads.incrementAndGet();
      return method;
    });
    CompletableFuture<String> second = cache.retrieve("1", () -> {
      loads.incrementAndGet();
      return CompletableFuture.completedFuture("another");
    });
    Thread.sleep(100);
    assertFalse(first.isDone());
    method.complete("Dune");
    assertEquals("Dune", first.get(10, TimeUnit.SECONDS));
    assertEquals("Dune", second.get(10, TimeUnit.SECONDS));
    assertEquals(1, loads.get());
    assertEquals("Dune", cache.get("1").get(), "kept for the next callers");
    assertEquals("Dune", cache.retrieve("1", () -> {
      throw new AssertionError("a hit must not load");
    }).get(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void aCallerThatRetriesTheInstantItsLoadFailedStartsANewLoad(String mode) throws Exception {
    CacheLayerSpringCache cache = cache(mode, true);
    CompletableFuture<String> method = new CompletableFuture<>();
    CompletableFuture<String> first = cache.retrieve("3", () -> method);
    java.util.concurrent.atomic.AtomicReference<CompletableFuture<String>> again =
        new java.util.concurrent.atomic.AtomicReference<>();
    // Runs on the thread that completes the load, at the instant the caller sees the failure.
    CompletableFuture<Void> retried = first.handle((value, failure) -> {
      again.set(cache.retrieve("3", () -> CompletableFuture.completedFuture("Dune")));
      return null;
    });
    method.completeExceptionally(new IllegalStateException("the catalogue is closed"));
    retried.get(10, TimeUnit.SECONDS);
    assertEquals("Dune", again.get().get(10, TimeUnit.SECONDS),
        "the retry joined the failed load instead of loading again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void aFailedLoadFailsItsCallersWithItsExceptionAndKeepsNothing(String mode) throws Exception {
    CacheLayerSpringCache cache = cache(mode, true);
    IllegalStateException failure = new IllegalStateException("the catalogue is closed");
    CompletableFuture<String> failed = cache.retrieve("1",
        () -> CompletableFuture.failedFuture(failure));
    ExecutionException thrown = assertThrows(ExecutionException.class,
        () -> failed.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertNull(cache.get("1"), "nothing kept");
    assertEquals("Dune", cache.retrieve("1", () -> CompletableFuture.completedFuture("Dune"))
        .get(10, TimeUnit.SECONDS), "the next call loads again");

    Cache.ValueRetrievalException wrapped = assertThrows(Cache.ValueRetrievalException.class,
        () -> cache.get("2", () -> {
          throw failure;
        }));
    assertSame(failure, wrapped.getCause(), "Spring unwraps it for the caller");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fallback", "redis"})
  void withoutNullValuesANullResultIsNotKept(String mode) throws Exception {
    CacheLayerSpringCache cache = cache(mode, false);
    assertNull(cache.retrieve("1", () -> CompletableFuture.completedFuture(null))
        .get(10, TimeUnit.SECONDS));
    assertNull(cache.get("1"));
    Cache.ValueRetrievalException refused = assertThrows(Cache.ValueRetrievalException.class,
        () -> cache.get("2", () -> null));
    assertInstanceOf(IllegalArgumentException.class, refused.getCause());
  }

  /** Redis frozen: the caller gets its future at once, completed once Redis answers again. */
  @Test
  void noCallerWaitsForRedis() throws Exception {
    CacheLayerSpringCache cache = cache("redis", true);
    cache.put("1", "Dune");
    redis.server().pause();
    CompletableFuture<?> hit;
    CompletableFuture<String> loaded;
    long start = System.nanoTime();
    try {
      hit = cache.retrieve("1");
      loaded = cache.retrieve("2", () -> CompletableFuture.completedFuture("Solaris"));
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(200),
          "the calls returned at once");
      Thread.sleep(300);
      assertFalse(hit.isDone());
      assertFalse(loaded.isDone());
    } finally {
      redis.server().resume();
    }
    assertEquals("Dune", ((Cache.ValueWrapper) hit.get(10, TimeUnit.SECONDS)).get());
    assertEquals("Solaris", loaded.get(10, TimeUnit.SECONDS));
  }
}
