package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.sessions.SessionsApplication;
import com.example.websessions.WebSessionsApplication;
import io.github.cachelayer.spring.WebNode.Browser;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * HttpSession through Spring Session on CacheLayer, with spring-session-core and the starter on
 * the class path and nothing else: two instances of a Boot application on one Redis, each a JVM
 * of its own, and a browser-like client whose cookie jar follows it from one to the other.
 */
@Tag("multi-jvm") // Spring Boot applications in JVMs of their own
class SpringSessionNodesTest {
  private static Map<String, String> on(RedisServer redis) {
    return Map.of("REDIS_URL", redis.url());
  }

  @Test
  void aSessionFollowsItsBrowserFromInstanceToInstance() throws Exception {
    try (RedisServer redis = RedisServer.start();
        WebNode a = WebNode.start("sessions-a", SessionsApplication.class, on(redis));
        WebNode b = WebNode.start("sessions-b", SessionsApplication.class, on(redis))) {
      assertEquals("io.github.cachelayer.spring.session.CacheLayerSessionRepository",
          new Browser().get(a, "/repository").get("class").asString());
      Browser browser = new Browser();
      for (int i = 1; i <= 6; i++) {
        assertEquals(i, browser.get(i % 2 == 1 ? a : b, "/count").get("count").asInt(),
            "request " + i);
      }
      String id = browser.get(a, "/count").get("id").asString();
      assertTrue(String.valueOf(redis.call("KEYS", "*")).contains("spring-session:" + id),
          "the session is a key of Redis: " + redis.call("KEYS", "*"));

      // Two requests at once on the two instances, each setting an attribute of its own: the
      // slower save must not undo the faster one's.
      CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(
          () -> browser.post(a, "/attribute?name=left&value=L&pauseMillis=300"));
      CompletableFuture<JsonNode> second = CompletableFuture.supplyAsync(
          () -> browser.post(b, "/attribute?name=right&value=R&pauseMillis=50"));
      first.get();
      second.get();
      JsonNode attributes = browser.get(b, "/attributes");
      assertEquals("L", attributes.get("left").asString(), attributes.toString());
      assertEquals("R", attributes.get("right").asString(), attributes.toString());
      assertEquals("7", attributes.get("count").asString(), attributes.toString());
    }
  }

  @Test
  void aChangedIdLeavesTheOldOneDeadEverywhereAndPrincipalsFindTheirSessions() {
    try (RedisServer redis = RedisServer.start();
        WebNode a = WebNode.start("ids-a", SessionsApplication.class, on(redis));
        WebNode b = WebNode.start("ids-b", SessionsApplication.class, on(redis))) {
      Browser browser = new Browser();
      browser.get(a, "/count");
      String oldCookie = browser.sessionCookie();
      String oldId = browser.get(b, "/count").get("id").asString();

      String newId = browser.post(a, "/change-id").get("id").asString();
      assertNotEquals(oldId, newId);
      assertEquals(3, browser.get(b, "/count").get("count").asInt(), "kept under its new id");

      Browser thief = new Browser();
      thief.useSessionCookie(oldCookie);
      assertEquals(1, thief.get(a, "/count").get("count").asInt(), "the old id is dead on a");
      thief.useSessionCookie(oldCookie);
      assertEquals(1, thief.get(b, "/count").get("count").asInt(), "and on b");

      browser.post(b, "/sign-in?user=alice");
      Browser phone = new Browser();
      phone.post(a, "/sign-in?user=alice");
      String phoneId = phone.get(a, "/count").get("id").asString();
      assertEquals(List.of(newId, phoneId).stream().sorted().toList(),
          ids(browser.get(a, "/sessions-of?user=alice")));

      assertTrue(phone.post(b, "/invalidate").get("invalidated").asBoolean());
      assertEquals(List.of(newId), ids(browser.get(b, "/sessions-of?user=alice")));
      assertEquals(1, phone.get(a, "/count").get("count").asInt(), "invalidated on b, new on a");
    }
  }

  @Test
  void sessionsEndWhenIdleForTheirTimeoutOrTheirOwnAndAtTheirLifetime() throws Exception {
    try (RedisServer redis = RedisServer.start();
        WebNode a = WebNode.start("idle-a", SessionsApplication.class, on(redis),
            "--spring.session.timeout=3s", "--cachelayer.session.max-lifetime=7s");
        WebNode b = WebNode.start("idle-b", SessionsApplication.class, on(redis),
            "--spring.session.timeout=3s", "--cachelayer.session.max-lifetime=7s")) {
      Browser idle = new Browser();
      idle.get(a, "/count");
      Thread.sleep(1_500);
      assertEquals(2, idle.get(b, "/count").get("count").asInt(), "used within the timeout");
      Thread.sleep(3_500);
      assertEquals(1, idle.get(a, "/count").get("count").asInt(), "idle past 3 s: a new one");

      Browser shorter = new Browser();
      shorter.get(a, "/count");
      assertEquals(1, shorter.post(b, "/max-inactive?seconds=1").get("seconds").asInt());
      Thread.sleep(1_500);
      assertEquals(1, shorter.get(a, "/count").get("count").asInt(), "idle past its own 1 s");

      Browser busy = new Browser();
      busy.get(a, "/count");
      long start = System.nanoTime();
      int count = 1;
      while (System.nanoTime() - start < 6_000_000_000L) {
        Thread.sleep(1_000);
        count = busy.get(count % 2 == 0 ? a : b, "/count").get("count").asInt();
      }
      assertTrue(count > 5, "kept while used: " + count);
      Thread.sleep(1_500);
      assertEquals(1, busy.get(a, "/count").get("count").asInt(), "ended at its lifetime, 7 s");
    }
  }

  @Test
  void inFallbackModeOneInstanceKeepsItsSessionsInMemory() {
    try (WebNode alone = WebNode.start("sessions-fallback", SessionsApplication.class,
        Map.of())) {
      Browser browser = new Browser();
      for (int i = 1; i <= 3; i++) {
        assertEquals(i, browser.get(alone, "/count").get("count").asInt());
      }
      assertNotNull(browser.sessionCookie());
      assertTrue(alone.output().contains("Will run in fallback mode"), alone.output());
    }
  }

  @Test
  void aWebFluxApplicationsWebSessionIsSharedTheSameWay() {
    try (RedisServer redis = RedisServer.start();
        WebNode a = WebNode.start("webflux-a", WebSessionsApplication.class, on(redis));
        WebNode b = WebNode.start("webflux-b", WebSessionsApplication.class, on(redis))) {
      assertEquals("io.github.cachelayer.spring.session.CacheLayerReactiveSessionRepository",
          new Browser().get(a, "/repository").get("class").asString());
      Browser browser = new Browser();
      for (int i = 1; i <= 4; i++) {
        assertEquals(i, browser.get(i % 2 == 1 ? a : b, "/count").get("count").asInt(),
            "request " + i);
      }
      String before = browser.sessionCookie();
      String id = browser.post(b, "/sign-in?user=bob").get("id").asString();
      assertNotEquals(before, browser.sessionCookie(), "signing in changed the id");
      assertEquals(List.of(id), ids(browser.get(a, "/sessions-of?user=bob")));
      assertEquals(5, browser.get(a, "/count").get("count").asInt(), "kept under its new id");
      Browser thief = new Browser();
      thief.useSessionCookie(before);
      assertEquals(1, thief.get(b, "/count").get("count").asInt(), "the old id is dead");
      browser.post(a, "/invalidate");
      assertEquals(List.of(), ids(browser.get(b, "/sessions-of?user=bob")));
    }
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new java.util.ArrayList<>();
    answer.get("ids").forEach(id -> ids.add(id.asString()));
    return ids;
  }
}
