package io.github.cachelayer.redis.link;

import io.github.cachelayer.config.RedisSettings;
import java.util.concurrent.TimeUnit;

/**
 * What the link takes from the Redis settings.
 *
 * @param timeoutNanos how long one command waits for its answer
 * @param connectTimeoutNanos how long opening a connection may take
 * @param retries how often a command whose answer did not come is sent again (reads; plain
 *     writes after their connection is fenced)
 * @param retryIntervalNanos the pause before each retry
 * @param connectionsPerNode the most connections the link opens to one master
 * @param multiKeyCommands whether one command may name keys of different hash slots (a server
 *     that is neither a cluster nor shards behind one endpoint)
 */
public record LinkSettings(long timeoutNanos, long connectTimeoutNanos, int retries,
    long retryIntervalNanos, int connectionsPerNode, boolean multiKeyCommands) {

  public static LinkSettings of(RedisSettings settings) {
    return new LinkSettings(settings.timeout().toNanos(), settings.connectTimeout().toNanos(),
        settings.retries(), settings.retryInterval().toNanos(),
        Math.max(1, settings.poolSize()), settings.multiKeyCommands());
  }

  /**
   * The most one call waits for a Redis that does not answer: {@code timeout x (retries + 1) +
   * retry-interval x retries}, the bound docs/outages.md states. Every step of the call
   * (retries, fences, settling deletions) draws on it.
   */
  public long boundNanos() {
    return timeoutNanos * (retries + 1) + retryIntervalNanos * retries;
  }

  long timeoutMillis() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
  }
}
