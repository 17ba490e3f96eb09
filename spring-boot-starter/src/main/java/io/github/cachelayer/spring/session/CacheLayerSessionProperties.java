package io.github.cachelayer.spring.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cachelayer.session.*}: Spring Session on CacheLayer. The idle timeout itself is Spring
 * Boot's: {@code spring.session.timeout}, else {@code server.servlet.session.timeout}, else 30
 * minutes.
 */
@ConfigurationProperties("cachelayer.session")
public class CacheLayerSessionProperties {
  /** Whether the starter provides Spring Session's repository when none is defined. */
  private boolean enabled = true;
  /** The longest a session lives, however active (an absolute timeout). */
  private Duration maxLifetime = Duration.ofDays(1);
  /**
   * The longest any session may stay idle: sessions that ask for more (or never to time out)
   * get this. Null: the idle timeout.
   */
  private Duration longestInactiveInterval;
  /** The caches the sessions and the per-principal index live in. */
  private String cacheName = "spring-session";
  private String indexCacheName = "spring-session-index";

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getMaxLifetime() {
    return maxLifetime;
  }

  public void setMaxLifetime(Duration maxLifetime) {
    this.maxLifetime = maxLifetime;
  }

  public Duration getLongestInactiveInterval() {
    return longestInactiveInterval;
  }

  public void setLongestInactiveInterval(Duration longestInactiveInterval) {
    this.longestInactiveInterval = longestInactiveInterval;
  }

  public String getCacheName() {
    return cacheName;
  }

  public void setCacheName(String cacheName) {
    this.cacheName = cacheName;
  }

  public String getIndexCacheName() {
    return indexCacheName;
  }

  public void setIndexCacheName(String indexCacheName) {
    this.indexCacheName = indexCacheName;
  }
}
