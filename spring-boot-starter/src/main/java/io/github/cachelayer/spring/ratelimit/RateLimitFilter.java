package io.github.cachelayer.spring.ratelimit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/** Servlet applications: the rules declared for paths, before the request reaches a handler. */
public final class RateLimitFilter extends OncePerRequestFilter {
  private static final UrlPathHelper PATHS = new UrlPathHelper();
  /** The names of the rules that already counted a request (each counts it once). */
  static final String APPLIED = RateLimitFilter.class.getName() + ".applied";

  private final RateLimitRules rules;
  private final RateLimitMetrics metrics;

  RateLimitFilter(RateLimitRules rules, RateLimitMetrics metrics) {
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    String path = PATHS.getPathWithinApplication(request);
    List<WebRateLimit> matching = rules.matching(request.getMethod(), path);
    if (matching.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    if (enforce(matching, facts(request, path), request, response)) {
      chain.doFilter(request, response);
    }
  }

  static RequestFacts facts(HttpServletRequest request, String path) {
    Principal principal = request.getUserPrincipal();
    return new RequestFacts(request.getMethod(), path, request.getRemoteAddr(),
        principal == null ? null : principal.getName(), request::getHeader,
        name -> queryParam(request.getQueryString(), name));
  }

  /** The first value of {@code name} in {@code query} (the raw query string), decoded. */
  static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    return org.springframework.web.util.UriComponentsBuilder.newInstance().query(query).build()
        .getQueryParams().getOrDefault(name, java.util.List.of()).stream().findFirst()
        .map(value -> value == null ? "" : org.springframework.web.util.UriUtils.decode(value,
            java.nio.charset.StandardCharsets.UTF_8))
        .orElse(null);
  }

  /** Decides {@code rules} in order; answers the refusal itself and returns false, or true. */
  boolean enforce(List<WebRateLimit> limits, RequestFacts facts, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    RateLimitVerdict verdict = new RateLimitVerdict();
    @SuppressWarnings("unchecked")
    java.util.Set<String> applied = (java.util.Set<String>) request.getAttribute(APPLIED);
    if (applied == null) {
      applied = new java.util.HashSet<>();
      request.setAttribute(APPLIED, applied);
    }
    for (WebRateLimit limit : limits) {
      if (!applied.add(limit.name())) {
        continue;
      }
      if (!verdict.apply(limit, facts, metrics)) {
        break;
      }
    }
    if (!verdict.policyHeader().isEmpty()) {
      response.addHeader("RateLimit-Policy", verdict.policyHeader());
      response.addHeader("RateLimit", verdict.rateLimitHeader());
    }
    if (verdict.allowed()) {
      return true;
    }
    response.setStatus(verdict.status());
    response.setHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
    response.setContentType(RateLimitVerdict.PROBLEM_JSON);
    byte[] body = verdict.problem(facts.getPath());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    return false;
  }
}
