package com.example;

import java.util.HashMap;
import java.util.Map;
import javax.cache.integration.CacheLoader;

/** The loader docs/configuration.md's example names; DocSnippetsTest loads that file. */
public class UserLoader implements CacheLoader<String, String> {
  @Override
  public String load(String key) {
    return "user " + key;
  }

  @Override
  public Map<String, String> loadAll(Iterable<? extends String> keys) {
    Map<String, String> loaded = new HashMap<>();
    keys.forEach(key -> loaded.put(key, load(key)));
    return loaded;
  }
}
