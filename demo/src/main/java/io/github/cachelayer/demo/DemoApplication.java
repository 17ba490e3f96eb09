package io.github.cachelayer.demo;

import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessor;

/**
 * CacheLayer used through the standard JCache API only: a cache declared in application.conf,
 * a cache created in code, an atomic entry processor, and the statistics MXBean.
 */
public final class DemoApplication {
  private DemoApplication() {}

  public static void main(String[] args) throws Exception {
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    System.out.println("Provider: " + manager.getCachingProvider().getClass().getName());

    // Declared in application.conf: created on first use, with its expiry and size bound.
    Cache<String, String> products = manager.getCache("products");
    products.put("sku-1", "Espresso machine");
    products.put("sku-2", "Coffee grinder");
    System.out.println("products[sku-1] = " + products.get("sku-1"));
    System.out.println("products[sku-9] = " + products.get("sku-9"));

    // Created in code with the standard configuration: sessions that slide on every access.
    Cache<String, Integer> visits = manager.createCache("visits",
        new MutableConfiguration<String, Integer>()
            .setTypes(String.class, Integer.class)
            .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(
                new Duration(TimeUnit.HOURS, 1))));
    EntryProcessor<String, Integer, Integer> increment = (entry, arguments) -> {
      int next = entry.exists() ? entry.getValue() + 1 : 1;
      entry.setValue(next);
      return next;
    };
    for (int i = 0; i < 3; i++) {
      visits.invoke("user-42", increment);
    }
    System.out.println("visits[user-42] = " + visits.get("user-42"));

    CacheStatisticsMXBean statistics = products.unwrap(
        io.github.cachelayer.cache.CacheLayerCache.class).statistics();
    System.out.printf("products statistics: %d hits, %d misses, %d puts%n",
        statistics.getCacheHits(), statistics.getCacheMisses(), statistics.getCachePuts());

    Caching.getCachingProvider().close();
  }
}
