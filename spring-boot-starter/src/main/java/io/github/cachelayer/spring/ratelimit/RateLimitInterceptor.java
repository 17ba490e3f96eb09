package io.github.cachelayer.spring.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.UrlPathHelper;

/** Servlet applications: {@code @RateLimited} handler methods, once the handler is known. */
final class RateLimitInterceptor implements HandlerInterceptor {
  private static final UrlPathHelper PATHS = new UrlPathHelper();

  private final RateLimitRules rules;
  private final RateLimitFilter enforcer;

  RateLimitInterceptor(RateLimitRules rules, RateLimitMetrics metrics) {
    this.rules = rules;
    this.enforcer = new RateLimitFilter(rules, metrics);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response,
      Object handler) throws Exception {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    WebRateLimit rule = rules.forHandler(method);
    if (rule == null) {
      return true;
    }
    String path = PATHS.getPathWithinApplication(request);
    return enforcer.enforce(List.of(rule), RateLimitFilter.facts(request, path), request,
        response);
  }
}
