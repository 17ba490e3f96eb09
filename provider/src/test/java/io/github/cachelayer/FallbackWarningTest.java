package io.github.cachelayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** Runs a plain consumer in its own JVM, as users do, with no Redis in its environment. */
class FallbackWarningTest {
  /** The consumer: two managers, one cache, one put and get. */
  public static void main(String[] args) {
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, String> cache = manager.createCache("demo", new MutableConfiguration<>());
    cache.put("k", "v");
    System.out.println("value=" + cache.get("k"));
    Caching.getCachingProvider().getCacheManager(java.net.URI.create("second"), null);
    Caching.getCachingProvider().close();
  }

  @Test
  void logsOneWarningAndWorks() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        FallbackWarningTest.class.getName());
    builder.environment().remove("REDIS_URL");
    builder.environment().remove("REDIS_HOST");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    List<String> warnings = output.lines()
        .filter(line -> line.contains("No Redis configuration found")).toList();
    assertEquals(1, warnings.size(), output);
    assertTrue(warnings.get(0).contains("WARN"), output);
    assertTrue(warnings.get(0).endsWith(
        "No Redis configuration found. Will run in fallback mode (in-memory)."), output);
    assertTrue(output.contains("value=v"), output);
  }
}
