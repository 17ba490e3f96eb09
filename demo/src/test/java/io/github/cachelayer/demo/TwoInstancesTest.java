package io.github.cachelayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Two instances of the service on one Redis share sessions, one rate limit and the cache. */
@Tag("multi-jvm") // two demo instances in their own JVMs
class TwoInstancesTest {
  @Test
  void twoInstancesShareASessionOneLimitAndTheCache() throws Exception {
    try (RedisServer redis = RedisServer.start();
        DemoNode a = DemoNode.start("a",
            DemoNode.withExactLimits(Map.of("REDIS_URL", redis.url())));
        DemoNode b = DemoNode.start("b",
            DemoNode.withExactLimits(Map.of("REDIS_URL", redis.url())))) {
      String id = a.send("POST", "/api/sessions", "{\"userId\":\"alice\",\"data\":{\"n\":1}}")
          .json().get("id").asString();
      assertEquals("alice", b.get("/api/sessions/" + id).json().get("userId").asString());
      b.send("PATCH", "/api/sessions/" + id, "{\"n\":2}");
      assertEquals(2, a.get("/api/sessions/" + id).json().get("data").get("n").asInt());
      assertEquals(204, b.send("DELETE", "/api/sessions/" + id, null).status());
      assertEquals(404, a.get("/api/sessions/" + id).status());

      // 150 requests of one user, from 6 clients across both instances: exactly 100 admitted.
      ExecutorService clients = Executors.newFixedThreadPool(6);
      try {
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
          DemoNode node = i % 2 == 0 ? a : b;
          statuses.add(clients.submit(() -> node.get("/api/limited?user=shared").status()));
        }
        int admitted = 0;
        int refused = 0;
        for (Future<Integer> status : statuses) {
          if (status.get() == 200) {
            admitted++;
          } else if (status.get() == 429) {
            refused++;
          }
        }
        assertEquals(100, admitted);
        assertEquals(50, refused);
      } finally {
        clients.shutdownNow();
      }

      JsonNode fromA = a.get("/api/products/sku-7").json();
      JsonNode fromB = b.get("/api/products/sku-7").json();
      assertTrue(fromA.get("millis").asLong() >= 400, fromA.toString());
      assertTrue(fromB.get("millis").asLong() < 200, "B reads what A cached: " + fromB);
      assertEquals(0, fromB.get("lookups").asLong(), "B never asked its slow source");
    }
  }
}
