package io.github.cachelayer.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The cached lookup: the first read of a product takes half a second, the next ones do not. */
@RestController
class CatalogController {
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9-]{1,40}");
  private final Catalog catalog;

  CatalogController(Catalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/products/{sku}")
  Map<String, Object> product(@PathVariable String sku) {
    if (!SKU.matcher(sku).matches()) {
      throw ApiException.badRequest("sku must be 1 to 40 letters, digits or dashes");
    }
    long start = System.nanoTime();
    Catalog.Product product = catalog.find(sku);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sku", product.sku());
    body.put("name", product.name());
    body.put("priceCents", product.priceCents());
    body.put("millis", (System.nanoTime() - start) / 1_000_000);
    body.put("lookups", catalog.lookups());
    return body;
  }
}
