package io.github.cachelayer.demo;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.session.SessionManager;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.management.CacheStatisticsMXBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The original readiness report, and the figures the live page shows. */
@RestController
class StatusController {
  private final CacheLayer cacheLayer;
  private final SessionManager sessions;
  private final Catalog catalog;

  StatusController(CacheLayer cacheLayer, SessionManager sessions, Catalog catalog) {
    this.cacheLayer = cacheLayer;
    this.sessions = sessions;
    this.catalog = catalog;
  }

  /** The original's shape: status, and components.redis with status, mode, connections, commands. */
  @GetMapping("/api/agents/health/ready")
  ResponseEntity<Map<String, Object>> ready() {
    CacheLayerHealth health = cacheLayer.health();
    Map<String, Object> redis = new LinkedHashMap<>();
    redis.put("status", switch (health.status()) {
      case UP -> "healthy";
      case DEGRADED -> "degraded";
      case DOWN -> "unhealthy";
    });
    redis.put("mode", health.mode());
    redis.put("connections", health.connections());
    redis.put("commands", health.commands());
    if (health.reason() != null) {
      redis.put("reason", health.reason());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    // The cache stands in front of the data: the service stays ready while Redis is away.
    body.put("status", health.status() == CacheLayerHealth.Status.UP ? "ready" : "degraded");
    body.put("components", Map.of("redis", redis));
    return ResponseEntity.status(HttpStatus.OK).body(body);
  }

  @GetMapping("/api/stats")
  Map<String, Object> stats() {
    CacheLayerHealth health = cacheLayer.health();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", health.mode());
    body.put("health", health.status().name());
    body.put("redisConnections", health.connections());
    body.put("redisCommands", health.commands());
    Cache<Object, Object> products = cacheLayer.cacheManager().getCache("products");
    long hits = 0;
    long misses = 0;
    if (products != null) {
      CacheStatisticsMXBean statistics = products.unwrap(CacheLayerCache.class).statistics();
      hits = statistics.getCacheHits();
      misses = statistics.getCacheMisses();
    }
    body.put("productHits", hits);
    body.put("productMisses", misses);
    body.put("productHitRate", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
    body.put("productLookups", catalog.lookups());
    body.put("sessions", countSessions());
    return body;
  }

  /** Counted without touching them: iterating would extend every session's sliding hour. */
  private long countSessions() {
    return sessions.sessionCache().unwrap(CacheLayerCache.class).estimatedSize();
  }
}
