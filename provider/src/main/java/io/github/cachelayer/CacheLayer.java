package io.github.cachelayer;

import io.github.cachelayer.management.CacheLayerHealth;
import java.util.Objects;
import javax.cache.CacheManager;

/**
 * What CacheLayer offers beyond the JCache API, for one CacheManager: its mode and health (and
 * the helpers built on its caches). Framework integrations expose one of these as a bean.
 */
public final class CacheLayer {
  private final CacheLayerCacheManager manager;

  private CacheLayer(CacheLayerCacheManager manager) {
    this.manager = manager;
  }

  /**
   * @throws IllegalArgumentException if {@code manager} is another provider's
   */
  public static CacheLayer of(CacheManager manager) {
    Objects.requireNonNull(manager, "manager");
    if (!(manager instanceof CacheLayerCacheManager ours)) {
      throw new IllegalArgumentException("Not a CacheLayer CacheManager: "
          + manager.getClass().getName());
    }
    return new CacheLayer(ours);
  }

  public CacheManager cacheManager() {
    return manager;
  }

  /** {@code redis} or {@code fallback}. */
  public String mode() {
    return manager.mode();
  }

  /** Asks Redis now (PING and INFO of each master): call it when health is wanted, not per request. */
  public CacheLayerHealth health() {
    return manager.health();
  }

  @Override
  public String toString() {
    return "CacheLayer[" + manager + "]";
  }
}
