package io.github.cachelayer.spring.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits a handler method (or every handler method of a controller): by the rule of that name
 * in {@code cachelayer.rate-limit.rules}, or, with {@link #limit} and {@link #window}, by a rule
 * of its own under that name. A name that is neither fails start-up.
 *
 * <pre>{@code
 * @RateLimited("api")                                   // the rule cachelayer.rate-limit.rules.api
 * @RateLimited(value = "search", limit = 10, window = "1m", key = "principal")
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RateLimited {
  /** The rule's name. */
  String value();

  /** Requests per window for a rule of its own; 0: the declared rule {@link #value}. */
  long limit() default 0;

  /** The window of a rule of its own, as a duration ({@code 1m}, {@code 30s}, {@code PT1H}). */
  String window() default "";

  /** As {@code cachelayer.rate-limit.rules.<name>.algorithm}. */
  String algorithm() default "fixed-window";

  /** As {@code cachelayer.rate-limit.rules.<name>.key}. */
  String key() default "ip";
}
