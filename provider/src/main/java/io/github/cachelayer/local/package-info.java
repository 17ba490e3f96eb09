/**
 * Fallback mode: the backend used when no Redis is configured, and the Caffeine store it makes
 * (also used by Redis mode's {@code local} outage policy).
 *
 * <p>Must not import {@code redis}, the Redis client, or {@code cache}.
 */
package io.github.cachelayer.local;
