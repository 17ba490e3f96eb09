package io.github.cachelayer.spring.ratelimit;

/**
 * Counts each rule's decisions: {@code cachelayer.ratelimit.requests{rule, outcome}} with
 * outcome {@code allowed}, {@code denied} or {@code unavailable}, when Micrometer is there. No
 * Micrometer type appears here: Spring introspects this type whether or not Micrometer is on the
 * class path ({@link CacheLayerRateLimitAutoConfiguration.Meters} holds the counting).
 */
interface RateLimitMetrics {
  RateLimitMetrics NONE = (rule, outcome) -> { };

  void count(String rule, String outcome);
}
