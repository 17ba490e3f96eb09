package io.github.cachelayer.demo;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** A deliberately slow source (half a second a lookup), so the cache's speed-up shows. */
@Service
class Catalog {
  static final long LOOKUP_MILLIS = 500;
  private final AtomicLong lookups = new AtomicLong();

  record Product(String sku, String name, long priceCents) implements java.io.Serializable {}

  @Cacheable("products")
  public Product find(String sku) {
    lookups.incrementAndGet();
    try {
      Thread.sleep(LOOKUP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Product(sku, "Product " + sku, 100L * (Math.floorMod(sku.hashCode(), 100) + 1));
  }

  /** Lookups this instance made in the slow source. */
  long lookups() {
    return lookups.get();
  }
}
