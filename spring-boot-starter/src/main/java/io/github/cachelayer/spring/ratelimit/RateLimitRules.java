package io.github.cachelayer.spring.ratelimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheManager;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/** The declared rules by name, and the rules {@code @RateLimited} handler methods use. */
public final class RateLimitRules {
  private final Map<String, WebRateLimit> declared = new LinkedHashMap<>();
  private final Map<String, WebRateLimit> own = new ConcurrentHashMap<>();
  private final CacheManager manager;

  RateLimitRules(RateLimitProperties properties, CacheManager manager) {
    this.manager = manager;
    properties.getRules().forEach((name, settings) ->
        declared.put(name, WebRateLimit.of(name, settings, manager)));
  }

  boolean hasPathRules() {
    return declared.values().stream().anyMatch(rule -> rule.matchesAnyPath());
  }

  /** The declared rules that count a request to {@code path} by {@code method}, in order. */
  List<WebRateLimit> matching(String method, String path) {
    List<WebRateLimit> matching = new ArrayList<>(1);
    for (WebRateLimit rule : declared.values()) {
      if (rule.matches(method, path)) {
        matching.add(rule);
      }
    }
    return matching;
  }

  /** The rule of a handler method's {@code @RateLimited} (its own or its class's), or null. */
  WebRateLimit forHandler(HandlerMethod handler) {
    RateLimited annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(),
        RateLimited.class);
    if (annotation == null) {
      annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(),
          RateLimited.class);
    }
    return annotation == null ? null : forAnnotation(annotation, handler.toString());
  }

  /**
   * @throws IllegalStateException when the annotation names no declared rule and gives no limit
   *     of its own, or gives one under the name of a declared rule
   */
  WebRateLimit forAnnotation(RateLimited annotation, String where) {
    WebRateLimit rule = declared.get(annotation.value());
    if (annotation.limit() == 0) {
      if (rule == null) {
        throw new IllegalStateException("@RateLimited(\"" + annotation.value() + "\") on "
            + where + " names no rule of cachelayer.rate-limit.rules and gives no limit");
      }
      return rule;
    }
    if (rule != null) {
      throw new IllegalStateException("@RateLimited(\"" + annotation.value() + "\") on " + where
          + " gives a limit of its own under the name of a declared rule");
    }
    return own.computeIfAbsent(annotation.value(),
        name -> WebRateLimit.of(annotation, where, manager));
  }
}
