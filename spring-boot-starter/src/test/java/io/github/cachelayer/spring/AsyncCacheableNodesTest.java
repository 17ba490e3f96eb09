package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code @Cacheable} on {@code CompletableFuture}, {@code Mono} and {@code Flux} methods, and
 * {@code sync = true} loads across nodes, in the real books application ({@code AsyncBookService}):
 * each node a JVM of its own, in fallback mode and on one Redis.
 */
@Tag("multi-jvm")
class AsyncCacheableNodesTest {
  /** Fixed caches on Redis (in fallback mode they are made on first use instead). */
  private static final String CACHES = "--spring.cache.cache-names=books,future-books,mono-books,"
      + "flux-books,shared-books,shared-future-books";

  @Test
  void asyncAndReactiveResultsAreCachedInFallbackMode() {
    try (BooksNode node = BooksNode.start("async-fallback", Map.of(),
        "--spring.cache.cache-names=").awaitReady()) {
      assertEquals("Dune", title(node.get("/future/books/1")));
      JsonNode again = node.get("/future/books/1");
      assertEquals("Dune", title(again));
      assertEquals(1, loads(again, "future"), "the second call came from the cache");

      assertTrue(node.get("/future/books/none").get("book").isNull());
      JsonNode none = node.get("/future/books/none");
      assertTrue(none.get("book").isNull());
      assertEquals(2, loads(none, "future"), "a null result is cached too");

      for (int i = 0; i < 2; i++) { // a failure is not cached: the method runs each time
        JsonNode failed = node.getFailing("/future/books/boom", 409);
        assertEquals(IllegalArgumentException.class.getName(), failed.get("exception").asString());
        assertEquals("no such shelf: boom", failed.get("message").asString());
      }
      assertEquals(4, node.get("/loads").get("future").asInt());

      assertEquals("Dune", title(node.get("/mono/books/1")));
      JsonNode mono = node.get("/mono/books/1");
      assertEquals("Dune", title(mono));
      assertEquals(1, loads(mono, "mono"));

      assertEquals(List.of("Dune", "Solaris"), titles(node.get("/flux/books")));
      JsonNode flux = node.get("/flux/books");
      assertEquals(List.of("Dune", "Solaris"), titles(flux));
      assertEquals(1, loads(flux, "flux"));

      assertEquals("Dune", title(node.get("/shared/books/1")));
      assertEquals(1, loads(node.get("/shared/books/1"), "shared"));
      assertEquals("Solaris", title(node.get("/shared-future/books/2")));
      assertEquals(1, loads(node.get("/shared-future/books/2"), "sharedFuture"));

      // The loader's own exception reaches the caller, unwrapped, in both sync shapes.
      JsonNode failed = node.getFailing("/shared/books/2?fail=true", 409);
      assertEquals(IllegalStateException.class.getName(), failed.get("exception").asString());
      assertEquals("the catalogue is closed", failed.get("message").asString());
      failed = node.getFailing("/shared-future/books/1?fail=true", 409);
      assertEquals(IllegalStateException.class.getName(), failed.get("exception").asString());
      assertEquals("the catalogue is closed", failed.get("message").asString());
      assertEquals("Dune", title(node.get("/shared-future/books/1")), "nothing kept by a failure");
    }
  }

  @Test
  void nodesOnOneRedisShareAsyncResultsAndLoadOnce() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try (RedisServer redis = RedisServer.start();
        BooksNode a = BooksNode.start("async-a", Map.of("REDIS_URL", redis.url()), CACHES);
        BooksNode b = BooksNode.start("async-b", Map.of("REDIS_URL", redis.url()), CACHES);
        BooksNode c = BooksNode.start("async-c", Map.of("REDIS_URL", redis.url()), CACHES)) {
      a.awaitReady();
      b.awaitReady();
      c.awaitReady();
      List<BooksNode> nodes = List.of(a, b, c);

      // What A's asynchronous and reactive methods returned serves B.
      assertEquals("Dune", title(a.get("/future/books/1")));
      assertEquals("Dune", title(a.get("/mono/books/1")));
      assertEquals(List.of("Dune", "Solaris"), titles(a.get("/flux/books")));
      JsonNode future = b.get("/future/books/1");
      assertEquals("Dune", title(future));
      assertEquals(0, loads(future, "future"), "B's future came from A's entry");
      assertEquals(0, loads(b.get("/mono/books/1"), "mono"));
      JsonNode flux = b.get("/flux/books");
      assertEquals(List.of("Dune", "Solaris"), titles(flux));
      assertEquals(0, loads(flux, "flux"));

      // Three nodes miss one key at once: one of them loads, the others get its value.
      for (String shape : List.of("shared", "shared-future")) {
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (BooksNode node : nodes) {
          answers.add(CompletableFuture.supplyAsync(
              () -> node.get("/" + shape + "/books/2?delayMillis=1500"), clients));
        }
        for (CompletableFuture<JsonNode> answer : answers) {
          assertEquals("Solaris", title(answer.get(30, TimeUnit.SECONDS)));
        }
        String counter = shape.equals("shared") ? "shared" : "sharedFuture";
        assertEquals(1, total(nodes, node -> loads(node.get("/loads"), counter)),
            shape + ": one load across three nodes");
      }

      // The first node's load fails: its caller gets the exception, and one other node loads.
      int before = total(nodes, node -> loads(node.get("/loads"), "shared"));
      CompletableFuture<JsonNode> failing = CompletableFuture.supplyAsync(
          () -> a.getFailing("/shared/books/1?delayMillis=1000&fail=true", 409), clients);
      Thread.sleep(300); // A holds the key's lease by now
      long waitingSince = System.nanoTime();
      CompletableFuture<JsonNode> fromB = CompletableFuture.supplyAsync(
          () -> b.get("/shared/books/1?delayMillis=200"), clients);
      CompletableFuture<JsonNode> fromC = CompletableFuture.supplyAsync(
          () -> c.get("/shared/books/1?delayMillis=200"), clients);
      assertEquals(IllegalStateException.class.getName(),
          failing.get(30, TimeUnit.SECONDS).get("exception").asString());
      assertEquals("Dune", title(fromB.get(30, TimeUnit.SECONDS)));
      assertEquals("Dune", title(fromC.get(30, TimeUnit.SECONDS)));
      assertTrue(System.nanoTime() - waitingSince < TimeUnit.SECONDS.toNanos(5),
          "the failed load released the key at once");
      assertEquals(before + 2, total(nodes, node -> loads(node.get("/loads"), "shared")),
          "A's failed load, then exactly one of B and C");

      // A node dies while loading: the key is free again once its lease lapses (10 s).
      int loadsOfA = loads(a.get("/loads"), "shared");
      CompletableFuture.runAsync(() -> {
        try {
          a.get("/shared/books/dies?delayMillis=60000");
        } catch (AssertionError expected) {
          // the node was killed
        }
      }, clients);
      Thread.sleep(1000);
      assertEquals(loadsOfA + 1, loads(a.get("/loads"), "shared"), "A is loading");
      a.kill();
      long sinceKill = System.nanoTime();
      JsonNode afterDeath = b.get("/shared/books/dies");
      assertTrue(afterDeath.get("book").isNull());
      long waited = System.nanoTime() - sinceKill;
      assertTrue(waited < TimeUnit.SECONDS.toNanos(12),
          "waited " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for a dead node's lease");
    } finally {
      clients.shutdownNow();
    }
  }

  private static int total(List<BooksNode> nodes, Function<BooksNode, Integer> count) {
    int total = 0;
    for (BooksNode node : nodes) {
      total += count.apply(node);
    }
    return total;
  }

  private static int loads(JsonNode answer, String counter) {
    JsonNode loads = answer.has("loads") ? answer.get("loads") : answer;
    return loads.get(counter).asInt();
  }

  private static String title(JsonNode answer) {
    return answer.get("book").get("title").asString();
  }

  private static List<String> titles(JsonNode answer) {
    List<String> titles = new ArrayList<>();
    answer.get("titles").forEach(title -> titles.add(title.asString()));
    return titles;
  }
}
