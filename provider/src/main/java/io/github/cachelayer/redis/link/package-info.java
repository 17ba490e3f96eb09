/**
 * The bottom of Redis mode: one call to Redis with its time budget, retries and fencing (a
 * stalled write is never resent while it can still land), batches and scripts on the shaded
 * Redisson client.
 *
 * <p>Must not import any other {@code redis} package, {@code store} or {@code cache}.
 */
package io.github.cachelayer.redis.link;
