/**
 * The near cache: local copies of Redis entries kept true by Redis's client-side tracking
 * (RESP invalidations on a connection of its own per master), served only while every master's
 * invalidations are proven current.
 *
 * <p>Must not import the wiring ({@code redis}), {@code redis.store}, {@code redis.outage},
 * {@code redis.helpers}, {@code cache} or {@code local}: it wraps any store.
 */
package io.github.cachelayer.redis.near;
