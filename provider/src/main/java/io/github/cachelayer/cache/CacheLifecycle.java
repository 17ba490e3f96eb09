package io.github.cachelayer.cache;

import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.management.CacheConfigurationBean;
import io.github.cachelayer.management.CacheStatistics;
import io.github.cachelayer.management.JmxRegistration;
import io.github.cachelayer.management.JmxRegistration.MBeanType;
import java.net.URI;
import javax.management.ObjectName;

/**
 * A cache's open/closed state, its statistics and its two MXBeans (registered while statistics,
 * or management, are enabled). Closing happens once, whoever calls it and however often.
 */
final class CacheLifecycle {
  private final String cacheName;
  private final CacheLayerConfiguration<?, ?> configuration;
  private final CacheStatistics statistics = new CacheStatistics();
  private final CacheConfigurationBean configurationBean;
  private final ObjectName configurationName;
  private final ObjectName statisticsName;
  private final Runnable onClose;
  private volatile boolean closed;

  /** @param onClose tells the manager the cache is gone */
  CacheLifecycle(String cacheName, URI managerUri, CacheLayerConfiguration<?, ?> configuration,
      Runnable onClose) {
    this.cacheName = cacheName;
    this.configuration = configuration;
    this.onClose = onClose;
    this.configurationBean = new CacheConfigurationBean(() -> configuration);
    this.configurationName = JmxRegistration.objectName(managerUri, cacheName,
        MBeanType.CONFIGURATION);
    this.statisticsName = JmxRegistration.objectName(managerUri, cacheName, MBeanType.STATISTICS);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  CacheStatistics statistics() {
    return statistics;
  }

  void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + cacheName + "' is closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statistics.setEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(statistics, statisticsName);
    } else {
      JmxRegistration.unregister(statisticsName);
    }
  }

  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(configurationBean, configurationName);
    } else {
      JmxRegistration.unregister(configurationName);
    }
  }

  /**
   * Closes once: the MXBeans go, then {@code shutdown} (the cache's own parts) runs, then the
   * manager hears of it, whatever failed before.
   */
  void close(Runnable shutdown) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      JmxRegistration.unregister(statisticsName);
      JmxRegistration.unregister(configurationName);
    } finally {
      try {
        shutdown.run();
      } finally {
        onClose.run();
      }
    }
  }
}
