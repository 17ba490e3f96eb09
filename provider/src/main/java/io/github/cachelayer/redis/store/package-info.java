/**
 * The Redis store: each entry one Redis string (a format byte, its expiry time, the codec's
 * payload) under a key of its own, changed by the Lua scripts beside these classes (their
 * contracts are in docs/ARCHITECTURE.md); reads, batched writes, compare-and-set loops, load
 * leases, cross-JVM events. Server-side entry processors plug in through
 * {@link io.github.cachelayer.redis.store.ServerProcessors}.
 *
 * <p>Must not import the wiring ({@code redis}), {@code redis.near}, {@code redis.helpers},
 * {@code cache} or {@code local}.
 */
package io.github.cachelayer.redis.store;
