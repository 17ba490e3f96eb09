package io.github.cachelayer.entraid;

import io.github.cachelayer.CacheLayerCacheManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;

/**
 * An application that configures nothing but properties and the environment: the default
 * provider and manager, {@code cachelayer.redis.credentials.provider = entra-id}. Reads commands
 * on standard input ({@code put k v}, {@code get k}, {@code loop id millis}, {@code health id})
 * and answers each on a line of its own.
 */
public final class EntraIdNode {
  private EntraIdNode() {}

  public static void main(String[] args) throws Exception {
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, String> cache = manager.createCache("tokens",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ");
      try {
        switch (words[0]) {
          case "put" -> {
            cache.put(words[1], words[2]);
            System.out.println("put-" + words[1] + " ok");
          }
          case "get" -> System.out.println("got-" + words[1] + " " + cache.get(words[1]));
          case "loop" -> {
            long end = System.nanoTime() + Long.parseLong(words[2]) * 1_000_000;
            int calls = 0;
            int failures = 0;
            String firstFailure = "";
            while (System.nanoTime() < end) {
              try {
                String value = "v" + calls++;
                cache.put("looped", value);
                if (!value.equals(cache.get("looped"))) {
                  throw new IllegalStateException("read another value than written");
                }
              } catch (RuntimeException e) {
                failures++;
                firstFailure = firstFailure.isEmpty() ? e.toString() : firstFailure;
              }
            }
            System.out.println("loop-" + words[1] + " calls=" + calls + " failures=" + failures
                + " " + firstFailure);
          }
          case "health" -> {
            var health = manager.unwrap(CacheLayerCacheManager.class).health();
            System.out.println("health-" + words[1] + " " + health.status() + " "
                + health.reason());
          }
          default -> System.out.println("unknown " + line);
        }
      } catch (RuntimeException e) {
        System.out.println("failed-" + words[0] + " " + e);
      }
    }
    manager.close();
  }
}
