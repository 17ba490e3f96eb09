/**
 * Redis mode's wiring: the backend that connects (and reconnects) the Redis client, checks the
 * credentials, builds each cache's codec chain and assembles its store from the layers below
 * (Redis store, near cache, outage policy); the key namespaces and the health probe.
 *
 * <p>The only package that imports all of {@code redis.*}; nothing below imports it.
 */
package io.github.cachelayer.redis;
