package io.github.cachelayer.spring.ratelimit;

import io.github.cachelayer.ratelimit.Decision;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.cache.CacheManager;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.AntPathMatcher;

/**
 * One rate limit of a web application: which requests it counts (paths, methods), whose
 * requests count together (its key), and the limiter that decides, over the cache
 * {@code rate-limit-<name>}.
 */
final class WebRateLimit {
  private static final AntPathMatcher PATHS = new AntPathMatcher();

  private final String name;
  private final List<String> paths;
  private final Set<String> methods;
  private final RateLimit rule;
  private final RequestKey key;
  private final RateLimiter limiter;

  private WebRateLimit(String name, List<String> paths, Set<String> methods, RateLimit rule,
      RequestKey key, RateLimiter limiter) {
    this.name = name;
    this.paths = paths;
    this.methods = methods;
    this.rule = rule;
    this.key = key;
    this.limiter = limiter;
  }

  /** A rule from {@code cachelayer.rate-limit.rules.<name>}; start-up fails naming a bad key. */
  static WebRateLimit of(String name, RateLimitProperties.Rule settings, CacheManager manager) {
    String prefix = "cachelayer.rate-limit.rules." + name;
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalStateException(prefix + ": a rule's name may hold letters, digits, '_', "
          + "'.' and '-' only");
    }
    for (String path : settings.getPath()) {
      if (!path.startsWith("/")) {
        throw new IllegalStateException(prefix + ".path must be paths starting with '/', was '"
            + path + "'");
      }
    }
    Set<String> methods = settings.getMethods().stream()
        .map(method -> method.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    RateLimit rule = rule(prefix, settings.getAlgorithm(), settings.getLimit(),
        settings.getWindow(), settings.getRefill(), settings.getSlots());
    RequestKey key = RequestKey.parse(settings.getKey(), prefix + ".key");
    return new WebRateLimit(name, List.copyOf(settings.getPath()), methods, rule, key,
        RateLimiter.create(manager, "rate-limit-" + name, rule));
  }

  /** A rule of {@link RateLimited}'s own. */
  static WebRateLimit of(RateLimited annotation, String where, CacheManager manager) {
    String property = "@RateLimited(\"" + annotation.value() + "\") on " + where;
    Duration window;
    try {
      window = DurationStyle.detectAndParse(annotation.window());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(property + ": window is not a duration: '"
          + annotation.window() + "'", e);
    }
    RateLimit rule = rule(property, annotation.algorithm(), annotation.limit(), window, null,
        null);
    return new WebRateLimit(annotation.value(), List.of(), Set.of(), rule,
        RequestKey.parse(annotation.key(), property + ": key"),
        RateLimiter.create(manager, "rate-limit-" + annotation.value(), rule));
  }

  private static RateLimit rule(String prefix, String algorithm, Long limit, Duration window,
      Long refill, Integer slots) {
    if (limit == null || limit < 1) {
      throw new IllegalStateException(prefix + ".limit must be at least 1, was " + limit);
    }
    if (window == null || window.isNegative() || window.toMillis() < 1) {
      throw new IllegalStateException(prefix + ".window must be a positive duration (such as "
          + "1m), was " + window);
    }
    String kind = algorithm == null ? "" : algorithm.trim().toLowerCase(Locale.ROOT);
    try {
      return switch (kind) {
        case "fixed-window" -> RateLimit.fixedWindow(limit, window);
        case "sliding-window" -> slots == null ? RateLimit.slidingWindow(limit, window)
            : RateLimit.slidingWindow(limit, window, slots);
        case "token-bucket" -> RateLimit.tokenBucket(limit, refill == null ? limit : refill,
            window);
        default -> throw new IllegalStateException(prefix + ".algorithm must be fixed-window, "
            + "sliding-window or token-bucket, was '" + algorithm + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(prefix + ": " + e.getMessage(), e);
    }
  }

  String name() {
    return name;
  }

  /** Whether it limits any path (else only handler methods annotated with its name). */
  boolean matchesAnyPath() {
    return !paths.isEmpty();
  }

  /** Whether it counts a request to {@code path} by {@code method} (its paths only). */
  boolean matches(String method, String path) {
    if (!methods.isEmpty() && !methods.contains(method)) {
      return false;
    }
    for (String pattern : paths) {
      if (PATHS.match(pattern, path)) {
        return true;
      }
    }
    return false;
  }

  Decision tryAcquire(RequestFacts request) {
    return limiter.tryAcquire(key.of(request));
  }

  /** Its item of the {@code RateLimit-Policy} field: {@code "name";q=100;w=60}. */
  String policy() {
    long windowSeconds = Math.max(1, (rule.period().toMillis() + 999) / 1_000);
    return "\"" + name + "\";q=" + rule.limit() + ";w=" + windowSeconds;
  }

  /** A short description for messages: "100 per 1m (fixed-window)". */
  String describe() {
    return rule.limit() + " per " + shortest(rule.period()) + " ("
        + rule.algorithm().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")";
  }

  /** The duration in the largest unit that states it exactly: 1m, not 60000ms. */
  private static String shortest(Duration period) {
    long millis = period.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis + "ms";
  }
}
