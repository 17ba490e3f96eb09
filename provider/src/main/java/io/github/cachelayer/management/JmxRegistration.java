package io.github.cachelayer.management;

import java.lang.management.ManagementFactory;
import java.net.URI;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers cache MXBeans on the platform MBean server under the names JCache tools look for
 * (Micrometer's JCacheMetrics among them):
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}.
 */
public final class JmxRegistration {
  /** The two kinds of cache MXBean. */
  public enum MBeanType {
    CONFIGURATION("CacheConfiguration"), STATISTICS("CacheStatistics");

    private final String typeName;

    MBeanType(String typeName) {
      this.typeName = typeName;
    }
  }

  private JmxRegistration() {}

  public static ObjectName objectName(URI managerUri, String cacheName, MBeanType type) {
    String name = "javax.cache:type=" + type.typeName
        + ",CacheManager=" + sanitize(managerUri.toString())
        + ",Cache=" + sanitize(cacheName);
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("Illegal ObjectName for the management bean: " + name, e);
    }
  }

  /** Characters that would break an ObjectName value become dots, as other providers do. */
  static String sanitize(String text) {
    return text == null ? "" : text.replaceAll("[,:=\n\r]", ".");
  }

  /** Registers {@code bean} unless a bean of that name is already there. */
  public static void register(Object bean, ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException raced) {
      // registered by a concurrent call: the outcome is the same
    } catch (Exception e) {
      throw new CacheException("Could not register the management bean " + name, e);
    }
  }

  public static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException raced) {
      // already gone
    } catch (Exception e) {
      throw new CacheException("Could not unregister the management bean " + name, e);
    }
  }
}
