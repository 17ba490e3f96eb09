package io.github.cachelayer.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.util.Clock;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatisticsTest {
  private final CacheManager manager = Managers.fresh();
  private final Cache<String, String> cache = manager.createCache("stats",
      new MutableConfiguration<String, String>().setStatisticsEnabled(true));
  private final CacheStatistics stats = cache.unwrap(CacheLayerCache.class).statistics();

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void everyOperationIsCountedBeforeItReturns() {
    cache.get("a");                       // miss
    cache.put("a", "1");                  // put
    cache.get("a");                       // hit
    cache.putIfAbsent("a", "2");          // hit, no put
    cache.putIfAbsent("b", "2");          // miss, put
    cache.replace("a", "x", "3");         // hit, no put
    cache.replace("a", "1", "3");         // hit, put
    cache.getAndRemove("b");              // hit, removal
    cache.remove("zzz");                  // nothing
    cache.getAll(Set.of("a", "c"));       // hit, miss
    cache.putAll(Map.of("d", "4", "e", "5")); // 2 puts
    cache.removeAll(Set.of("d", "e", "f"));   // 2 removals
    assertEquals(6, stats.getCacheHits());
    assertEquals(3, stats.getCacheMisses());
    assertEquals(9, stats.getCacheGets());
    assertEquals(5, stats.getCachePuts());
    assertEquals(3, stats.getCacheRemovals());
    assertEquals(66.667f, stats.getCacheHitPercentage(), 0.001f);
    assertTrue(stats.getAverageGetTime() > 0f);
  }

  @Test
  void disabledStatisticsRecordNothing() {
    manager.enableStatistics("stats", false);
    cache.put("a", "1");
    cache.get("a");
    assertEquals(0, stats.getCachePuts());
    assertEquals(0, stats.getCacheHits());
  }

  @Test
  void mbeansAreRegisteredUnderTheirStandardNames() throws Exception {
    CacheManager odd = Managers.open(URI.create("urn:weird=name,with:chars"), Clock.SYSTEM,
        Map.of());
    try {
      odd.createCache("c1", new MutableConfiguration<>().setStatisticsEnabled(true)
          .setManagementEnabled(true));
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName statistics = new ObjectName(
          "javax.cache:type=CacheStatistics,CacheManager=urn.weird.name.with.chars,Cache=c1");
      ObjectName configuration = new ObjectName(
          "javax.cache:type=CacheConfiguration,CacheManager=urn.weird.name.with.chars,Cache=c1");
      assertTrue(server.isRegistered(statistics));
      assertTrue(server.isRegistered(configuration));
      assertEquals(0L, server.getAttribute(statistics, "CacheHits"));
      assertEquals(true, server.getAttribute(configuration, "StatisticsEnabled"));
      odd.close();
      assertFalse(server.isRegistered(statistics), "closing unregisters");
    } finally {
      odd.close();
    }
  }
}
