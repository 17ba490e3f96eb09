package io.github.cachelayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The demo's sign-in: Spring Security's form login over Spring Session on CacheLayer, two
 * instances on one Redis and browsers alternating between them; and one instance alone in
 * fallback mode.
 */
@Tag("multi-jvm") // the demo in JVMs of its own
class SignInTest {
  @Test
  void aSignedInSessionFollowsItsBrowserAndEndsWhenTheUserSignsInElsewhere() {
    try (RedisServer redis = RedisServer.start();
        DemoNode a = DemoNode.start("sign-in-a", Map.of("REDIS_URL", redis.url()));
        DemoNode b = DemoNode.start("sign-in-b", Map.of("REDIS_URL", redis.url()))) {
      signInFollowsAndEnds(a, b);
    }
  }

  @Test
  void inFallbackModeOneInstanceDoesTheSame() {
    try (DemoNode alone = DemoNode.start("sign-in-alone", Map.of())) {
      signInFollowsAndEnds(alone, alone);
    }
  }

  private static void signInFollowsAndEnds(DemoNode a, DemoNode b) {
    Visitor browser = new Visitor();
    JsonNode anonymous = browser.me(b);
    assertFalse(anonymous.get("signedIn").asBoolean());
    assertEquals(null, browser.sessionCookie(), "no session for an anonymous visitor");

    // Signing in on A. The login page's CSRF token made a session; signing in changes its id.
    HttpResponse<String> wrong = browser.signIn(a, "alice", "not-the-password");
    assertEquals(302, wrong.statusCode());
    assertTrue(wrong.headers().firstValue("Location").orElseThrow().endsWith("/login?error"));
    String beforeSignIn = browser.sessionCookie();
    assertNotNull(beforeSignIn, "the sign-in form's CSRF token is kept in a session");
    HttpResponse<String> signedIn = browser.signIn(a, "alice", "demo");
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    assertTrue(signedIn.headers().firstValue("Location").orElseThrow().endsWith("/"),
        signedIn.headers().map().toString());
    String afterSignIn = browser.sessionCookie();
    assertNotEquals(beforeSignIn, afterSignIn, "session fixation: a new id at sign-in");

    // The session follows the browser from instance to instance.
    JsonNode onB = browser.me(b);
    assertTrue(onB.get("signedIn").asBoolean(), onB.toString());
    assertEquals("alice", onB.get("user").asString());
    assertEquals(1, onB.get("visits").asInt());
    JsonNode onA = browser.me(a);
    assertEquals(2, onA.get("visits").asInt(), "the visit counted on B is seen by A");
    List<String> instances = onA.get("instances").valueStream().map(JsonNode::asString)
        .toList();
    assertEquals(a == b ? List.of(onA.get("instance").asString())
        : List.of(onB.get("instance").asString(), onA.get("instance").asString()), instances);

    // The id from before sign-in is dead on every instance: it never carries the sign-in.
    Visitor attacker = new Visitor();
    attacker.useSessionCookie(a, beforeSignIn);
    assertFalse(attacker.me(a).get("signedIn").asBoolean());
    assertFalse(attacker.me(b).get("signedIn").asBoolean());

    // One session per user: signing in on another browser ends the first one everywhere.
    Visitor other = new Visitor();
    assertEquals(302, other.signIn(b, "alice", "demo").statusCode());
    assertTrue(other.me(a).get("signedIn").asBoolean());
    HttpResponse<String> ended = browser.get(a, "/api/me");
    assertEquals(302, ended.statusCode(), "the older session is expired: " + ended.body());
    assertTrue(ended.headers().firstValue("Location").orElseThrow().endsWith("/?expired"));
    assertFalse(browser.me(b).get("signedIn").asBoolean(), "and stays ended on B too");

    // Signing out ends the session.
    HttpResponse<String> signedOut = other.submit(b, "/logout", "/logout", Map.of());
    assertEquals(302, signedOut.statusCode());
    assertFalse(other.me(a).get("signedIn").asBoolean());
  }
}
