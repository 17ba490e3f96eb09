package io.github.cachelayer.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.ratelimit.Decision;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.session.Session;
import io.github.cachelayer.session.SessionManager;
import io.github.cachelayer.testing.Managers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sessions and rate-limit examples of the README and docs/sessions-and-rate-limits.md, run
 * as written (between the doc markers; DocSnippetsTest holds the docs' blocks to them), in
 * fallback mode.
 */
class HelperExamplesTest {
  private final CacheManager cacheManager = Managers.inOwnProvider("docs-" + UUID.randomUUID(), Map.of());

  @AfterEach
  void close() {
    cacheManager.close();
  }

  @Test
  void readmeExample() {
    // doc:readme-helpers
    SessionManager sessions = SessionManager.builder(cacheManager).build();   // idle 1 h
    String id = sessions.create("user_123", Map.of("role", "admin"));
    Optional<Session> session = sessions.get(id);                            // extends it

    RateLimiter limiter = RateLimiter.create(cacheManager, "rate",
        RateLimit.fixedWindow(100, Duration.ofMinutes(1)));
    Decision decision = limiter.tryAcquire("user_123:/api/search");          // allowed(), retryAfterSeconds()
    // end doc
    assertEquals("admin", session.orElseThrow().attributes().get("role"));
    assertTrue(decision.allowed());
    assertEquals(99, decision.remaining());
  }

  @Test
  void sessions() {
    // doc:sessions
    SessionManager sessions = SessionManager.builder(cacheManager)   // idle 1 h, at most 1 day
        .idleTimeout(Duration.ofHours(1))
        .maxLifetime(Duration.ofHours(12))
        .maxSessionsPerUser(5)                                       // optional: oldest ends first
        .build();

    String id = sessions.create("user_123", Map.of("role", "admin"));        // create_session
    Optional<Session> session = sessions.get(id);                           // get_session: extends it
    sessions.update(id, Map.of("last_page", "/dashboard"));                 // update_session: merges, extends

    String fresh = sessions.regenerateId(id).orElseThrow();  // after a login: the old id reads as none
    List<Session> all = sessions.sessionsOf("user_123");     // does not extend them
    sessions.delete(fresh);                                                  // delete_session
    sessions.deleteAllFor("user_123");                       // password change, account lock
    // end doc
    assertTrue(session.isPresent());
    assertEquals(1, all.size());
    assertEquals("/dashboard", all.get(0).attributes().get("last_page"));
    assertFalse(sessions.get(id).isPresent(), "the old id reads as none");
    assertFalse(sessions.get(fresh).isPresent());
  }

  @Test
  void rateLimits() {
    String userId = "user_123";
    String endpoint = "/api/search";
    Response response = new Response();
    // doc:rate-limits
    RateLimiter limiter = RateLimiter.create(cacheManager, "rate",
        RateLimit.fixedWindow(100, Duration.ofMinutes(1)));      // the original: 100 per minute per user

    Decision decision = limiter.tryAcquire(userId + ":" + endpoint);
    if (!decision.allowed()) {
      response.setStatus(429);                                   // Too many requests
      response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }
    response.setHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
    // end doc
    assertEquals(200, response.status);
    assertEquals("99", response.headers.get("X-RateLimit-Remaining"));
  }

  /** Stands in for the servlet response the example writes to. */
  private static final class Response {
    int status = 200;
    final Map<String, String> headers = new HashMap<>();

    void setStatus(int status) {
      this.status = status;
    }

    void setHeader(String name, String value) {
      headers.put(name, value);
    }
  }
}
