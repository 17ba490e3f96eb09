package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.limits.LimitsApplication;
import io.github.cachelayer.spring.WebNode.Browser;
import io.github.cachelayer.testing.redis.RedisServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rate limits declared by properties and one annotation, on two instances of a Boot application
 * (JVMs of their own) on one Redis, driven by concurrent HTTP clients.
 */
@Tag("multi-jvm") // Spring Boot applications in JVMs of their own
class RateLimitNodesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /**
   * The rule is limits.properties' (the guide's): 100 a minute per client address, in a sliding
   * window, so that no window boundary during the test can admit more.
   */
  private static final String[] RULES = {
      "--management.endpoints.web.exposure.include=health,metrics"};

  @Test
  void twoInstancesAdmitExactlyTheLimitAndSayWhyTheyRefuse() throws Exception {
    try (RedisServer redis = RedisServer.start();
        WebNode a = WebNode.start("limits-a", LimitsApplication.class,
            Map.of("REDIS_URL", redis.url()), RULES);
        WebNode b = WebNode.start("limits-b", LimitsApplication.class,
            Map.of("REDIS_URL", redis.url()), RULES)) {
      List<HttpResponse<String>> responses = new ArrayList<>();
      ExecutorService clients = Executors.newFixedThreadPool(6);
      try {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
          WebNode node = i % 2 == 0 ? a : b;
          // A client that claims other addresses: the key stays the connection's address.
          String spoofed = "203.0.113." + i;
          sent.add(clients.submit(() -> new Browser().exchange(node, "GET", "/api/hello",
              "X-Forwarded-For", spoofed)));
        }
        for (Future<HttpResponse<String>> response : sent) {
          responses.add(response.get());
        }
      } finally {
        clients.shutdownNow();
      }
      List<HttpResponse<String>> admitted = responses.stream()
          .filter(r -> r.statusCode() == 200).toList();
      List<HttpResponse<String>> refused = responses.stream()
          .filter(r -> r.statusCode() == 429).toList();
      assertEquals(100, admitted.size(), "exactly the limit, over both instances");
      assertEquals(50, refused.size());

      HttpResponse<String> allowed = admitted.get(0);
      assertEquals("\"api\";q=100;w=60",
          allowed.headers().firstValue("RateLimit-Policy").orElseThrow());
      assertTrue(allowed.headers().firstValue("RateLimit").orElseThrow()
          .matches("\"api\";r=[0-9]{1,2}"), allowed.headers().map().toString());

      HttpResponse<String> denied = refused.get(0);
      long retryAfter = Long.parseLong(denied.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter > 0, "Retry-After " + retryAfter);
      assertEquals("\"api\";r=0;t=" + retryAfter,
          denied.headers().firstValue("RateLimit").orElseThrow());
      assertEquals("\"api\";q=100;w=60",
          denied.headers().firstValue("RateLimit-Policy").orElseThrow());
      assertEquals("application/problem+json",
          denied.headers().firstValue("Content-Type").orElseThrow());
      JsonNode problem = JSON.readTree(denied.body());
      assertEquals("about:blank", problem.get("type").asString());
      assertEquals("Too Many Requests", problem.get("title").asString());
      assertEquals(429, problem.get("status").asInt());
      assertEquals("/api/hello", problem.get("instance").asString());
      assertEquals("api", problem.get("rateLimit").asString());
      assertEquals(retryAfter, problem.get("retryAfter").asLong());
      assertTrue(problem.get("detail").asString().contains("100 per 1m (sliding-window)"),
          problem.toString());

      Browser browser = new Browser();
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> open = browser.exchange(i % 2 == 0 ? a : b, "GET", "/open");
        assertEquals(200, open.statusCode(), "a path outside every rule is never limited");
        assertFalse(open.headers().firstValue("RateLimit").isPresent());
      }
      double deniedCount = 0;
      for (WebNode node : List.of(a, b)) {
        deniedCount += browser.get(node,
            "/actuator/metrics/cachelayer.ratelimit.requests?tag=rule:api&tag=outcome:denied")
            .get("measurements").get(0).get("value").asDouble();
      }
      assertEquals(50, deniedCount, "each refusal counted once, on the instance that refused");
    }
  }

  @Test
  void aWebFluxApplicationIsLimitedTheSameWay() throws Exception {
    try (RedisServer redis = RedisServer.start();
        WebNode flux = WebNode.start("limits-flux",
            com.example.websessions.WebSessionsApplication.class,
            Map.of("REDIS_URL", redis.url()),
            "--cachelayer.rate-limit.rules.flux.path=/count",
            "--cachelayer.rate-limit.rules.flux.limit=5",
            "--cachelayer.rate-limit.rules.flux.window=1m",
            "--cachelayer.rate-limit.rules.flux.algorithm=sliding-window")) {
      Browser browser = new Browser();
      for (int i = 1; i <= 5; i++) {
        HttpResponse<String> allowed = browser.exchange(flux, "GET", "/count");
        assertEquals(200, allowed.statusCode());
        assertEquals("\"flux\";r=" + (5 - i),
            allowed.headers().firstValue("RateLimit").orElseThrow());
      }
      HttpResponse<String> denied = browser.exchange(flux, "GET", "/count");
      assertEquals(429, denied.statusCode());
      assertEquals("\"flux\";q=5;w=60",
          denied.headers().firstValue("RateLimit-Policy").orElseThrow());
      assertEquals("application/problem+json",
          denied.headers().firstValue("Content-Type").orElseThrow());
      JsonNode problem = JSON.readTree(denied.body());
      assertEquals(429, problem.get("status").asInt());
      assertEquals("flux", problem.get("rateLimit").asString());
      assertEquals(200, browser.exchange(flux, "GET", "/repository").statusCode());
    }
  }

  @Test
  void anAnnotatedHandlerCountsPerApiKey() {
    try (RedisServer redis = RedisServer.start();
        WebNode a = WebNode.start("search-a", LimitsApplication.class,
            Map.of("REDIS_URL", redis.url()), RULES)) {
      Browser browser = new Browser();
      for (String key : List.of("key-1", "key-2")) {
        for (int i = 1; i <= 4; i++) {
          int status = browser.exchange(a, "GET", "/search", "X-Api-Key", key).statusCode();
          assertEquals(i <= 3 ? 200 : 429, status, key + " request " + i);
        }
      }
    }
  }

  @Test
  void withoutRedisOneInstanceLimitsAloneAndTrustsForwardedAddressesOnlyWhenToldTo()
      throws Exception {
    try (WebNode alone = WebNode.start("limits-alone", LimitsApplication.class, Map.of(),
        "--cachelayer.rate-limit.rules.api.limit=2",
        "--server.forward-headers-strategy=native")) {
      assertTrue(alone.output().contains("Will run in fallback mode (in-memory)"));
      Browser browser = new Browser();
      // Boot's native strategy trusts X-Forwarded-For from internal proxies (this loopback
      // client is one): each claimed address is its own client now.
      for (String client : List.of("203.0.113.1", "203.0.113.2")) {
        for (int i = 1; i <= 3; i++) {
          HttpResponse<String> response = browser.exchange(alone, "GET", "/api/hello",
              "X-Forwarded-For", client);
          assertEquals(i <= 2 ? 200 : 429, response.statusCode(), client + " request " + i);
          assertEquals("\"api\";q=2;w=60",
              response.headers().firstValue("RateLimit-Policy").orElseThrow());
        }
      }
    }
  }

  @Test
  void whileRedisIsAwayTheOutagePolicyDecides() throws Exception {
    try (RedisServer redis = RedisServer.start();
        WebNode open = WebNode.start("limits-open", LimitsApplication.class,
            Map.of("REDIS_URL", redis.url()), "--cachelayer.rate-limit.rules.api.limit=1");
        WebNode closed = WebNode.start("limits-closed", LimitsApplication.class,
            Map.of("REDIS_URL", redis.url()),
            List.of("-Dcachelayer.caches.rate-limit-api.on-outage=fail"),
            "--cachelayer.rate-limit.rules.api.limit=1")) {
      Browser browser = new Browser();
      assertEquals(200, browser.exchange(open, "GET", "/api/hello").statusCode());
      assertEquals(429, browser.exchange(closed, "GET", "/api/hello").statusCode(),
          "both instances count together while Redis serves");
      redis.kill();

      // bypass, the default: fail open.
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> through = browser.exchange(open, "GET", "/api/hello");
        assertEquals(200, through.statusCode(), "fail open under the bypass policy");
      }
      // fail: refuse with 503 and say why.
      HttpResponse<String> refused = browser.exchange(closed, "GET", "/api/hello");
      assertEquals(503, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
      assertEquals("application/problem+json",
          refused.headers().firstValue("Content-Type").orElseThrow());
      JsonNode problem = JSON.readTree(refused.body());
      assertEquals(503, problem.get("status").asInt());
      assertEquals("api", problem.get("rateLimit").asString());
      assertEquals(200, browser.exchange(closed, "GET", "/open").statusCode(),
          "a path outside every rule does not need Redis");
    }
  }
}
