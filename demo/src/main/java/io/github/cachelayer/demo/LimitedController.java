package io.github.cachelayer.demo;

import io.github.cachelayer.ratelimit.Decision;
import io.github.cachelayer.ratelimit.RateLimiter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original's rate-limited endpoint: 100 requests a minute per user, one counter shared by
 * every instance on the same Redis; over it, 429 with Retry-After.
 */
@RestController
class LimitedController {
  private final RateLimiter limiter;
  /** The last decision this instance made per user, for the page (a few users at most). */
  private final Map<String, Decision> lastDecisions = new ConcurrentHashMap<>();

  LimitedController(RateLimiter apiLimiter) {
    this.limiter = apiLimiter;
  }

  @GetMapping("/api/limited")
  ResponseEntity<Map<String, Object>> limited(@RequestParam String user) {
    if (user.isBlank() || user.length() > 200) {
      throw ApiException.badRequest("user must be 1 to 200 characters");
    }
    Decision decision = limiter.tryAcquire(user);
    if (lastDecisions.size() < 100 || lastDecisions.containsKey(user)) {
      lastDecisions.put(user, decision);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", user);
    body.put("allowed", decision.allowed());
    body.put("limit", decision.limit());
    body.put("remaining", decision.remaining());
    ResponseEntity.BodyBuilder response = ResponseEntity
        .status(decision.allowed() ? HttpStatus.OK : HttpStatus.TOO_MANY_REQUESTS)
        .header("X-RateLimit-Limit", Long.toString(decision.limit()))
        .header("X-RateLimit-Remaining", Long.toString(decision.remaining()));
    if (!decision.allowed()) {
      body.put("error", "rate_limited");
      body.put("retryAfterSeconds", decision.retryAfterSeconds());
      response.header("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }
    return response.body(body);
  }

  Map<String, Decision> lastDecisions() {
    return lastDecisions;
  }
}
