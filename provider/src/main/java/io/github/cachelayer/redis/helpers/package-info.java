/**
 * The session manager's and rate limiter's server side: their records' byte format and the Lua
 * scripts that run them in one round trip. The only provider code that knows
 * {@code io.github.cachelayer.session} and {@code io.github.cachelayer.ratelimit}.
 *
 * <p>Must not import the wiring ({@code redis}), {@code redis.near}, {@code redis.outage},
 * {@code cache} or {@code local}.
 */
package io.github.cachelayer.redis.helpers;
