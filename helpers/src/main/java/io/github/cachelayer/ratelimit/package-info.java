/**
 * Rate limiting on the standard {@code javax.cache} API: fixed window, sliding window and token
 * bucket ({@link io.github.cachelayer.ratelimit.RateLimit}), each request one atomic
 * {@code invoke} ({@link io.github.cachelayer.ratelimit.RateLimiter}), with the remaining permits
 * and the time to retry in every {@link io.github.cachelayer.ratelimit.Decision}.
 */
package io.github.cachelayer.ratelimit;
