package io.github.cachelayer.demo;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.session.SessionManager;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * The original service on CacheLayer: sessions with a sliding hour, 100 requests a minute per
 * user (declared in application.properties), a cached lookup over a slow source, the original
 * readiness report, and a live page with a sign-in whose HttpSession any instance serves, on
 * port 50505. Redis from REDIS_URL (or REDIS_HOST / REDIS_PORT / REDIS_PASSWORD); without it,
 * fallback mode with one WARN line, and everything still works.
 */
@SpringBootApplication
@EnableCaching
public class DemoApplication {
  /** The original's sliding session expiry: an hour without a request. */
  static final Duration SESSION_IDLE_TIMEOUT = Duration.ofHours(1);

  public static void main(String[] args) {
    SpringApplication.run(DemoApplication.class, args);
  }

  @Bean
  SessionManager sessionManager(CacheLayer cacheLayer) {
    // At most ten sessions per user (the oldest ends first): no user can fill the store.
    return SessionManager.builder(cacheLayer.cacheManager()).idleTimeout(SESSION_IDLE_TIMEOUT)
        .maxSessionsPerUser(10).build();
  }

}
