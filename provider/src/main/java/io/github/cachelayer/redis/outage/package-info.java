/**
 * What happens when Redis does not serve: failures classified and counted, the circuit breaker,
 * writes whose fate is unknown settled before Redis serves again, and the outage policy
 * ({@code fail}, {@code bypass}, {@code local}) as stores wrapped around the Redis store.
 *
 * <p>Must not import the wiring ({@code redis}), {@code redis.store}, {@code redis.near},
 * {@code redis.helpers} or {@code cache}.
 */
package io.github.cachelayer.redis.outage;
