package io.github.cachelayer.spring.ratelimit;

import io.github.cachelayer.ratelimit.Decision;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * What the rules matching one request decided, and how the response says it: the
 * {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers
 * on every limited response; on a refusal 429 with {@code Retry-After} and an RFC 9457
 * {@code application/problem+json} body; 503 when the limit's state could not be reached and
 * the cache's outage policy is {@code fail}.
 */
final class RateLimitVerdict {
  static final String PROBLEM_JSON = "application/problem+json";

  private final List<WebRateLimit> rules = new ArrayList<>();
  private final List<Decision> decisions = new ArrayList<>();
  private WebRateLimit refusedBy;
  private RuntimeException unavailable;
  private WebRateLimit unavailableRule;

  boolean isEmpty() {
    return rules.isEmpty() && unavailable == null;
  }

  /** Decides {@code rule} for the request; false once a rule refused it (stop there). */
  boolean apply(WebRateLimit rule, RequestFacts request, RateLimitMetrics metrics) {
    Decision decision;
    try {
      decision = rule.tryAcquire(request);
    } catch (RuntimeException e) {
      if (!isUnavailable(e)) {
        throw e;
      }
      unavailable = e;
      unavailableRule = rule;
      metrics.count(rule.name(), "unavailable");
      return false;
    }
    rules.add(rule);
    decisions.add(decision);
    metrics.count(rule.name(), decision.allowed() ? "allowed" : "denied");
    if (!decision.allowed()) {
      refusedBy = rule;
      return false;
    }
    return true;
  }

  /** A limit whose state Redis could not serve under the {@code fail} outage policy. */
  private static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.github.cachelayer.RedisUnavailableException) {
        return true;
      }
    }
    return false;
  }

  boolean allowed() {
    return refusedBy == null && unavailable == null;
  }

  /** 200-range (untouched), 429 or 503. */
  int status() {
    return unavailable != null ? 503 : refusedBy != null ? 429 : 200;
  }

  String policyHeader() {
    StringJoiner joined = new StringJoiner(", ");
    rules.forEach(rule -> joined.add(rule.policy()));
    return joined.toString();
  }

  String rateLimitHeader() {
    StringJoiner joined = new StringJoiner(", ");
    for (int i = 0; i < rules.size(); i++) {
      Decision decision = decisions.get(i);
      String item = "\"" + rules.get(i).name() + "\";r=" + decision.remaining();
      if (!decision.allowed()) {
        item += ";t=" + decision.retryAfterSeconds();
      }
      joined.add(item);
    }
    return joined.toString();
  }

  /** Seconds until a retry can pass: the refusing rule's, or 1 when the state was away. */
  long retryAfterSeconds() {
    if (refusedBy != null) {
      return Math.max(1, decisions.get(decisions.size() - 1).retryAfterSeconds());
    }
    return 1;
  }

  /** The problem document of a refusal (RFC 9457). */
  byte[] problem(String path) {
    String json;
    if (unavailable != null) {
      json = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
          + "\"detail\":\"The state of rate limit '" + unavailableRule.name() + "' cannot be "
          + "read now; try again shortly.\",\"instance\":" + quote(path) + ",\"rateLimit\":"
          + quote(unavailableRule.name()) + "}";
    } else {
      json = "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
          + "\"detail\":\"Rate limit '" + refusedBy.name() + "' (" + refusedBy.describe()
          + ") is used up; retry in " + retryAfterSeconds() + " s.\",\"instance\":"
          + quote(path) + ",\"rateLimit\":" + quote(refusedBy.name()) + ",\"retryAfter\":"
          + retryAfterSeconds() + "}";
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON string of {@code text}. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
