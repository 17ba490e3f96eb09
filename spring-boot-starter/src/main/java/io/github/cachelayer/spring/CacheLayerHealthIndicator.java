package io.github.cachelayer.spring;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.management.CacheLayerHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Actuator's {@code cachelayer} health: UP, DOWN, or DEGRADED (Redis configured but not reached
 * since start-up, caches running on stand-ins), with the original service's fields: mode,
 * connections, commands, and the PING latency in milliseconds.
 */
public final class CacheLayerHealthIndicator implements HealthIndicator {
  /** Not one of Boot's own: list it in management.endpoint.health.status.order to rank it. */
  public static final Status DEGRADED = new Status("DEGRADED");

  private final CacheLayer cacheLayer;

  public CacheLayerHealthIndicator(CacheLayer cacheLayer) {
    this.cacheLayer = cacheLayer;
  }

  @Override
  public Health health() {
    CacheLayerHealth health = cacheLayer.health();
    Health.Builder builder = Health.status(switch (health.status()) {
      case UP -> Status.UP;
      case DEGRADED -> DEGRADED;
      case DOWN -> Status.DOWN;
    });
    builder.withDetail("mode", health.mode())
        .withDetail("connections", health.connections())
        .withDetail("commands", health.commands());
    if (health.pingLatency() != null) {
      builder.withDetail("pingMillis", health.pingLatency().toNanos() / 1e6);
    }
    if (health.reason() != null) {
      builder.withDetail("reason", health.reason());
    }
    return builder.build();
  }
}
