package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real Spring Boot application of {@code com.example.books}, with only the starter and the
 * docs/spring-boot.md's properties: each node a JVM of its own, in fallback mode and on one Redis.
 */
@Tag("multi-jvm") // Spring Boot nodes in their own JVMs
class SpringBootNodesTest {
  private static final String FALLBACK_WARNING =
      "No Redis configuration found. Will run in fallback mode (in-memory).";

  @Test
  void fallbackModeCachesLocallyWithHealthAndMeters() {
    try (BooksNode node = BooksNode.start("fallback", Map.of()).awaitReady()) {
      assertEquals(1, count(node.output(), FALLBACK_WARNING), node.output());

      assertEquals("Dune", title(node.get("/books/1")));
      JsonNode again = node.get("/books/1");
      assertEquals("Dune", title(again));
      assertEquals(1, again.get("lookups").asInt(), "the second read came from the cache");

      node.put("/books/1?title=Dune%20Messiah");
      JsonNode renamed = node.get("/books/1");
      assertEquals("Dune Messiah", title(renamed), "@CachePut replaced the cached book");
      assertEquals(1, renamed.get("lookups").asInt());

      assertTrue(node.get("/books/404").get("book").isNull());
      JsonNode nullAgain = node.get("/books/404");
      assertTrue(nullAgain.get("book").isNull());
      assertEquals(2, nullAgain.get("lookups").asInt(), "null is cached too");

      node.delete("/books");
      assertEquals(3, node.get("/books/1").get("lookups").asInt(), "evicted: looked up again");

      JsonNode health = node.get("/actuator/health/cachelayer");
      assertEquals("UP", health.get("status").asString());
      assertEquals("fallback", health.get("details").get("mode").asString());

      // Gets: 1 miss, hit, hit, miss, hit, miss; puts: 3 loads and the @CachePut.
      assertEquals(3, node.meter("cache.gets", "cache:books", "result:hit"));
      assertEquals(3, node.meter("cache.gets", "cache:books", "result:miss"));
      assertEquals(4, node.meter("cache.puts", "cache:books"));
      assertTrue(node.meter("cache.latency", "cache:books", "operation:get") > 0);
    }
  }

  /** Without spring.cache.cache-names, as Boot's Caffeine and Redis support do. */
  @Test
  void withoutCacheNamesACacheIsMadeOnFirstUseWithItsMeters() {
    try (BooksNode node = BooksNode.start("dynamic", Map.of(), "--spring.cache.cache-names=")
        .awaitReady()) {
      assertEquals("Dune", title(node.get("/books/1")));
      JsonNode again = node.get("/books/1");
      assertEquals(1, again.get("lookups").asInt(), "the second read came from the cache");
      assertEquals(1, node.meter("cache.gets", "cache:books", "result:hit"));
      assertEquals(1, node.meter("cache.gets", "cache:books", "result:miss"));
      assertFalse(node.output().contains("Cannot find cache"), node.output());
    }
  }

  @Test
  void twoNodesOnOneRedisShareEveryCacheOperation() {
    try (RedisServer redis = RedisServer.start();
        BooksNode a = BooksNode.start("a", Map.of("REDIS_URL", redis.url()));
        BooksNode b = BooksNode.start("b", Map.of("REDIS_URL", redis.url()))) {
      a.awaitReady();
      b.awaitReady();

      assertEquals("Dune", title(a.get("/books/1")));
      JsonNode fromB = b.get("/books/1");
      assertEquals("Dune", title(fromB));
      assertEquals(0, fromB.get("lookups").asInt(), "B read what A cached");

      a.put("/books/1?title=Dune%20Messiah");
      JsonNode renamed = b.get("/books/1");
      assertEquals("Dune Messiah", title(renamed), "B, running, sees A's @CachePut");
      assertEquals(0, renamed.get("lookups").asInt(), "B's own database still says Dune");

      assertTrue(a.get("/books/404").get("book").isNull());
      JsonNode missing = b.get("/books/404");
      assertTrue(missing.get("book").isNull());
      assertEquals(0, missing.get("lookups").asInt(), "A's cached null serves B");

      a.delete("/books");
      JsonNode afterEvict = b.get("/books/1");
      assertEquals(1, afterEvict.get("lookups").asInt(), "A's evict-all emptied B's view");
      assertEquals("Dune", title(afterEvict), "B loaded from its own database");
      assertEquals(2, a.get("/books/1").get("lookups").asInt(),
          "A (1: book 1, 2: book 404) reads what B loaded, without a third lookup");

      JsonNode health = b.get("/actuator/health/cachelayer");
      assertEquals("UP", health.get("status").asString());
      JsonNode details = health.get("details");
      assertEquals("redis", details.get("mode").asString());
      assertTrue(details.get("connections").asLong() >= 2, details.toString());
      assertTrue(details.get("commands").asLong() > 0, details.toString());
      assertTrue(details.get("pingMillis").asDouble() > 0, details.toString());

      // B: hit (A's book), hit (A's put), hit (A's null), miss after the evict; 1 put.
      assertEquals(3, b.meter("cache.gets", "cache:books", "result:hit"));
      assertEquals(1, b.meter("cache.gets", "cache:books", "result:miss"));
      assertEquals(1, b.meter("cache.puts", "cache:books"));
      for (BooksNode node : new BooksNode[] {a, b}) {
        assertFalse(node.output().contains("is not allowed"), node.output());
        assertFalse(node.output().contains(FALLBACK_WARNING), node.output());
      }
    }
  }

  /**
   * Two Boot nodes whose caches all have a near cache (one property): B answers repeated reads
   * locally, and A's @CachePut and evict reach B's copies through Redis's invalidations.
   */
  @Test
  void twoNodesWithNearCachesSeeEachOthersChanges() throws Exception {
    List<String> near = List.of("-Dcachelayer.default.near-cache.maximum.size=1000");
    try (RedisServer redis = RedisServer.start();
        BooksNode a = BooksNode.start("near-a", Map.of("REDIS_URL", redis.url()), near);
        BooksNode b = BooksNode.start("near-b", Map.of("REDIS_URL", redis.url()), near)) {
      a.awaitReady();
      b.awaitReady();
      assertEquals("Dune", title(a.get("/books/1")));
      for (int i = 0; i < 5; i++) {
        JsonNode fromB = b.get("/books/1");
        assertEquals("Dune", title(fromB));
        assertEquals(0, fromB.get("lookups").asInt(), "B read what A cached");
      }
      assertTrue(b.meter("cache.near.hits", "cache:books") >= 3, "B's repeated reads were local");

      a.put("/books/1?title=Dune%20Messiah");
      assertEventually(() -> "Dune Messiah".equals(title(b.get("/books/1"))));
      assertEquals(0, b.get("/books/1").get("lookups").asInt(), "B's own database still says Dune");

      a.delete("/books");
      assertEventually(() -> b.get("/books/1").get("lookups").asInt() == 1);
      assertEquals("Dune", title(b.get("/books/1")), "B loaded from its own database");
      assertTrue(b.meter("cache.near.invalidations", "cache:books") >= 2);
    }
  }

  private static void assertEventually(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not seen within 5 s");
      Thread.sleep(20);
    }
  }

  @Test
  void aNodeKeepsServingFromItsDatabaseWhileRedisIsDownAndSaysSo() throws Exception {
    RedisServer redis = RedisServer.start();
    try (BooksNode node = BooksNode.start("outage", Map.of("REDIS_URL", redis.url()),
        List.of("-Dcachelayer.redis.timeout=300ms", "-Dcachelayer.redis.retries=0"))) {
      node.awaitReady();
      assertEquals("Dune", title(node.get("/books/1")));
      assertEquals(1, node.get("/books/1").get("lookups").asInt(), "the second read was cached");

      redis.kill();
      JsonNode during = node.get("/books/1"); // the default policy, bypass: a miss, not an error
      assertEquals("Dune", title(during));
      assertEquals(2, during.get("lookups").asInt(), "read from the database");
      node.put("/books/1?title=Dune%20Messiah"); // @CachePut skipped, the request succeeds
      assertEquals("Dune Messiah", title(node.get("/books/1")));

      JsonNode health = node.health();
      assertEquals("DOWN", health.get("status").asString(), health.toString());
      assertEquals(1, node.meter("cache.outage", "cache:books", "policy:bypass"));
      assertTrue(node.meter("cache.outage.answers", "cache:books") >= 3);
      assertTrue(node.meter("cache.outage.failures", "cache:books") >= 3);

      redis = redis.startAgain();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"UP".equals(node.health().get("status").asString())
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertEquals("UP", node.health().get("status").asString());
      node.get("/books/1");
      int lookups = node.get("/books/1").get("lookups").asInt();
      assertEquals(lookups, node.get("/books/1").get("lookups").asInt(), "cached in Redis again");
      assertEquals(0, node.meter("cache.outage", "cache:books", "policy:bypass"));
    } finally {
      redis.close();
    }
  }

  private static String title(JsonNode answer) {
    return answer.get("book").get("title").asString();
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
