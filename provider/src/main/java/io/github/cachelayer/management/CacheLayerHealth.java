package io.github.cachelayer.management;

import java.time.Duration;
import java.util.Objects;

/**
 * How a CacheManager's storage is doing, in the shape of the original service's health report:
 * status, mode ({@code redis} or {@code fallback}), the Redis server's connected clients and
 * commands processed (summed over the masters), and how long a PING took (the slowest master).
 *
 * @param status UP: fallback mode by configuration, or every master answered PING; DEGRADED:
 *     Redis is configured but has not answered since start-up, or answers again while the
 *     circuit breaker still holds calls back, so caches follow their outage policy, or the last
 *     renewal of changing credentials failed (connections keep the previous ones); DOWN: a
 *     master did not answer now (the reason adds whether the breaker is open)
 * @param reason why not UP, without secrets; null when UP
 * @param connections clients connected to Redis (INFO clients), 0 in fallback mode
 * @param commands commands Redis processed since it started (INFO stats), 0 in fallback mode
 * @param pingLatency the slowest master's PING round trip; null in fallback mode or when none
 *     answered
 */
public record CacheLayerHealth(Status status, String mode, String reason, long connections,
    long commands, Duration pingLatency) {
  public enum Status { UP, DEGRADED, DOWN }

  public CacheLayerHealth {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(mode, "mode");
  }

  /** Fallback mode: local caches, nothing to reach. */
  public static CacheLayerHealth fallback() {
    return new CacheLayerHealth(Status.UP, "fallback", null, 0, 0, null);
  }
}
