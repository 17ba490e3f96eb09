package io.github.cachelayer.store;

import io.github.cachelayer.management.NearCacheStatistics;
import io.github.cachelayer.management.OutageStatus;

/**
 * What a store's layers report for integrations (metrics, health), each part filled in by the
 * layer that owns it, so nothing above the store has to know which layers there are.
 *
 * @param outage the outage policy's state, or null when no layer applies one (fallback mode)
 * @param nearCache the near cache's statistics, or null when there is no near cache
 */
public record StoreStatus(OutageStatus outage, NearCacheStatistics nearCache) {
  public static final StoreStatus NONE = new StoreStatus(null, null);

  public StoreStatus withOutage(OutageStatus status) {
    return new StoreStatus(status, nearCache);
  }

  public StoreStatus withNearCache(NearCacheStatistics statistics) {
    return new StoreStatus(outage, statistics);
  }
}
