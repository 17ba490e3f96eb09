package io.github.cachelayer.spring.ratelimit;

/**
 * Counts each rule's decisions: {@code cachelayer.ratelimit.requests{rule, outcome}} with
 * outcome {@code allowed}, {@code denied} or {@code unavailable}, when Micrometer is there.
 */
interface RateLimitMetrics {
  RateLimitMetrics NONE = (rule, outcome) -> { };

  void count(String rule, String outcome);

  /** Counters on {@code registry} (an {@code io.micrometer.core.instrument.MeterRegistry}). */
  static RateLimitMetrics of(Object registry) {
    io.micrometer.core.instrument.MeterRegistry meters =
        (io.micrometer.core.instrument.MeterRegistry) registry;
    return (rule, outcome) -> io.micrometer.core.instrument.Counter
        .builder("cachelayer.ratelimit.requests")
        .description("Requests a rate limit decided, by outcome")
        .tag("rule", rule).tag("outcome", outcome)
        .register(meters).increment();
  }
}
