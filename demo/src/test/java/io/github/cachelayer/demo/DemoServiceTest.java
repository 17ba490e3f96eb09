package io.github.cachelayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every endpoint of the demo over a real port, in fallback mode and in Redis mode. */
@Tag("slow") // a demo JVM per mode, every endpoint
class DemoServiceTest {
  private static final String FALLBACK_WARNING =
      "No Redis configuration found. Will run in fallback mode (in-memory).";

  @Test
  void fallbackModeServesEveryEndpointAndRefusesBadInputWithJson() {
    try (DemoNode node = DemoNode.start("fallback", DemoNode.withExactLimits(Map.of()))) {
      assertTrue(node.output().contains(FALLBACK_WARNING), node.output());
      JsonNode ready = node.get("/api/agents/health/ready").json();
      assertEquals("ready", ready.get("status").asString());
      JsonNode redis = ready.get("components").get("redis");
      assertEquals("healthy", redis.get("status").asString());
      assertEquals("fallback", redis.get("mode").asString());
      assertTrue(redis.has("connections") && redis.has("commands"), redis.toString());
      everyEndpoint(node);
      assertEquals("fallback", node.get("/api/stats").json().get("mode").asString());
    }
  }

  @Test
  void redisModeServesEveryEndpoint() {
    try (RedisServer redis = RedisServer.start();
        DemoNode node = DemoNode.start("redis",
            DemoNode.withExactLimits(Map.of("REDIS_URL", redis.url())))) {
      assertFalse(node.output().contains(FALLBACK_WARNING), node.output());
      JsonNode ready = node.get("/api/agents/health/ready").json();
      assertEquals("ready", ready.get("status").asString());
      assertEquals("redis", ready.get("components").get("redis").get("mode").asString());
      assertTrue(ready.get("components").get("redis").get("commands").asLong() > 0);
      everyEndpoint(node);
      JsonNode stats = node.get("/api/stats").json();
      assertEquals("redis", stats.get("mode").asString());
      assertTrue(stats.get("redisCommands").asLong() > 0, stats.toString());
    }
  }

  /**
   * As a public service: bodies over 64 KB refused (four concurrent 50 MB ones, declared or
   * chunked, on a 384 MB heap: 413 each, no OutOfMemoryError), a session's bounds held over many
   * requests, the stats page without anyone's identity, health without internals.
   */
  @Test
  void aPublicServiceBoundsWhatItTakesAndShows() throws Exception {
    try (DemoNode node = DemoNode.start("public", Map.of(), java.util.List.of("-Xmx384m"))) {
      // A JSON string that never ends, so the parser keeps reading: a body of bare x's may
      // be refused as malformed after a few hundred bytes, before the limit is reached.
      byte[] fifty = new byte[50 << 20];
      java.util.Arrays.fill(fifty, (byte) 'x');
      byte[] start = "{\"userId\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(start, 0, fifty, 0, start.length);
      java.util.List<java.util.concurrent.CompletableFuture<Integer>> bodies =
          new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        boolean chunked = i % 2 == 1;
        bodies.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> node.sendBody("POST",
            "/api/sessions", chunked
                ? java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(fifty))
                : java.net.http.HttpRequest.BodyPublishers.ofByteArray(fifty)).status()));
      }
      for (var body : bodies) {
        try {
          assertEquals(413, body.get());
        } catch (java.util.concurrent.ExecutionException closed) {
          // The service answers 413 at once and closes the connection once it has swallowed
          // a little of what follows; a client still sending 50 MB may see only the close.
          assertTrue(String.valueOf(closed.getCause().getCause()).contains("IOException"),
              String.valueOf(closed));
        }
      }
      assertFalse(node.output().contains("OutOfMemoryError"), node.output());
      assertEquals(200, node.get("/actuator/health").status(), "still serving");
      // Just over the limit, declared and chunked, sent whole: 413 with its JSON.
      byte[] over = ("{\"userId\":\"" + "z".repeat(BodyLimitFilter.MAX_BYTES) + "\"}")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      assertError(node.sendBody("POST", "/api/sessions",
          java.net.http.HttpRequest.BodyPublishers.ofByteArray(over)), 413, "payload_too_large");
      assertError(node.sendBody("POST", "/api/sessions",
          java.net.http.HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream(over))), 413, "payload_too_large");

      String id = node.send("POST", "/api/sessions", "{\"userId\":\"erin\",\"data\":{}}")
          .json().get("id").asString();
      int accepted = 0;
      for (int i = 0; i < 60; i++) {
        DemoNode.Answer answer = node.send("PATCH", "/api/sessions/" + id,
            "{\"attribute" + i + "\":\"" + "y".repeat(400) + "\"}");
        if (answer.status() == 200) {
          accepted++;
        } else {
          assertError(answer, 413, "payload_too_large");
        }
      }
      JsonNode session = node.get("/api/sessions/" + id).json();
      assertTrue(session.get("data").size() <= 50 && accepted <= 50,
          accepted + " accepted, " + session.get("data").size() + " attributes");
      assertTrue(session.toString().length() < 40_000, "the session stayed small");

      node.get("/api/limited?user=someone-else-s-name");
      String stats = node.get("/api/stats").response().body();
      assertFalse(stats.contains("someone-else-s-name"), stats);
      String health = node.get("/actuator/health").response().body();
      assertTrue(health.contains("\"status\":\"UP\""), health);
      assertFalse(health.contains("path") || health.contains("/tmp") || health.contains("total"),
          health);
    }
  }

  private static void everyEndpoint(DemoNode node) {
    // Sessions: create, read (extends), update (merge, null removes), delete.
    DemoNode.Answer created = node.send("POST", "/api/sessions",
        "{\"userId\":\"alice\",\"data\":{\"theme\":\"dark\",\"cart\":3}}");
    assertEquals(201, created.status(), created.response().body());
    String id = created.json().get("id").asString();
    assertEquals("alice", created.json().get("userId").asString());
    assertEquals(3600, created.json().get("idleTimeoutSeconds").asInt());
    JsonNode read = node.get("/api/sessions/" + id).json();
    assertEquals("dark", read.get("data").get("theme").asString());
    JsonNode updated = node.send("PATCH", "/api/sessions/" + id,
        "{\"last_page\":\"/dashboard\",\"cart\":null}").json();
    assertEquals("/dashboard", updated.get("data").get("last_page").asString());
    assertFalse(updated.get("data").has("cart"), updated.toString());
    assertEquals(204, node.send("DELETE", "/api/sessions/" + id, null).status());
    DemoNode.Answer gone = node.get("/api/sessions/" + id);
    assertEquals(404, gone.status());
    assertEquals("unknown_session", gone.json().get("error").asString());

    // Bad input: a clear 4xx with a JSON error, never a stack trace.
    assertError(node.send("POST", "/api/sessions", "{not json"), 400, "malformed_body");
    assertError(node.send("POST", "/api/sessions", "{\"data\":{}}"), 400, "bad_request");
    assertError(node.send("POST", "/api/sessions",
        "{\"userId\":\"bob\",\"data\":{\"note\":\"" + "x".repeat(5_000) + "\"}}"), 413,
        "payload_too_large");
    assertError(node.send("PATCH", "/api/sessions/nope", "{\"a\":1}"), 404, "unknown_session");
    assertError(node.send("DELETE", "/api/sessions/nope", null), 404, "unknown_session");
    assertError(node.get("/api/limited"), 400, "bad_request");
    assertError(node.get("/api/products/bad%20sku!"), 400, "bad_request");
    assertError(node.get("/api/nothing-here"), 404, "not_found");

    // The rate limit, declared in application.properties: 100 per user, then 429 with
    // Retry-After, the IETF RateLimit fields and a problem body.
    for (int i = 1; i <= 100; i++) {
      DemoNode.Answer allowed = node.get("/api/limited?user=carol");
      assertEquals(200, allowed.status(), allowed.response().body());
      assertEquals("\"limited\";r=" + (100 - i), allowed.header("RateLimit"));
      assertTrue(allowed.header("RateLimit-Policy").startsWith("\"limited\";q=100;w="),
          allowed.header("RateLimit-Policy"));
      assertEquals("carol", allowed.json().get("user").asString());
    }
    DemoNode.Answer refused = node.get("/api/limited?user=carol");
    assertEquals(429, refused.status());
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertTrue(retryAfter >= 1, refused.header("Retry-After"));
    assertEquals("\"limited\";r=0;t=" + retryAfter, refused.header("RateLimit"));
    assertEquals(429, refused.json().get("status").asInt());
    assertEquals("limited", refused.json().get("rateLimit").asString());
    assertEquals("/api/limited", refused.json().get("instance").asString());
    assertEquals(200, node.get("/api/limited?user=dave").status(), "per user");

    // The cached lookup: slow once, then from the cache.
    JsonNode first = node.get("/api/products/sku-1").json();
    JsonNode second = node.get("/api/products/sku-1").json();
    assertTrue(first.get("millis").asLong() >= 400, first.toString());
    assertTrue(second.get("millis").asLong() < 200, second.toString());
    assertEquals(first.get("lookups").asLong(), second.get("lookups").asLong(), "one lookup");

    JsonNode stats = node.get("/api/stats").json();
    assertTrue(stats.get("productHits").asLong() >= 1, stats.toString());
    assertTrue(stats.get("productHitRate").asDouble() > 0, stats.toString());
    assertEquals(200, node.get("/actuator/health").status());
    assertEquals(200, node.get("/actuator/metrics/cache.gets").status());
    assertTrue(node.get("/").response().body().contains("CacheLayer demo"));
  }

  private static void assertError(DemoNode.Answer answer, int status, String error) {
    assertEquals(status, answer.status(), answer.response().body());
    assertEquals(error, answer.json().get("error").asString(), answer.response().body());
    assertTrue(answer.json().has("message"), answer.response().body());
    assertFalse(answer.response().body().contains("Exception"), answer.response().body());
  }
}
