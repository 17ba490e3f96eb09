package io.github.cachelayer.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CacheLayer in several JVMs (separate processes) on one Redis. */
@Tag("multi-jvm") // two JVMs
class MultiJvmTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  private static Process jvm(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-cp", System.getProperty("java.class.path"), Worker.class.getName(), redis.url()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Reads a process's output until a line starts with {@code prefix}; returns that line. */
  private static String lineStartingWith(Process process, String prefix, StringBuilder all)
      throws Exception {
    BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      all.append(line).append('\n');
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }

  @Test
  void entryProcessorsAreAtomicAcrossJvms() throws Exception {
    Process first = jvm("increment", "4", "10000");
    Process second = jvm("increment", "4", "10000");
    StringBuilder output = new StringBuilder();
    assertEquals("RESULT done", lineStartingWith(first, "RESULT", output), output.toString());
    assertEquals("RESULT done", lineStartingWith(second, "RESULT", output), output.toString());
    assertTrue(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS));
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, Map.of("REDIS_URL", redis.url()));
    try (CacheManager manager = new CacheLayerCachingProvider().getCacheManager(
        URI.create("multi-jvm"), getClass().getClassLoader(), properties)) {
      Cache<String, Integer> counters = manager.getCache("counters");
      if (counters == null) {
        counters = manager.createCache("counters",
            new javax.cache.configuration.MutableConfiguration<>());
      }
      assertEquals(80_000, counters.get("n"));
    }
  }

  @Test
  void concurrentMissesAcrossJvmsCallTheLoaderOnce() throws Exception {
    redis.call("DEL", "loader-calls");
    Process first = jvm("load", "4");
    Process second = jvm("load", "4");
    StringBuilder output = new StringBuilder();
    String expected = "RESULT [loaded hot, loaded hot, loaded hot, loaded hot]";
    assertEquals(expected, lineStartingWith(first, "RESULT", output), output.toString());
    assertEquals(expected, lineStartingWith(second, "RESULT", output), output.toString());
    assertEquals("1", redis.call("GET", "loader-calls"), "8 readers in 2 JVMs, one load");
  }

  @Test
  void listenersInOneJvmSeeEveryWriteOfAnother() throws Exception {
    int count = 200;
    Process listener = jvm("listen", Integer.toString(count));
    StringBuilder output = new StringBuilder();
    assertEquals("READY", lineStartingWith(listener, "READY", output), output.toString());
    // The registration is in Redis before READY: a JVM opening the cache now reads it.
    assertEquals(1L, redis.call("ZCARD", "multi-jvm::listening:counters"));
    Process writer = jvm("write", Integer.toString(count));
    assertEquals("RESULT done", lineStartingWith(writer, "RESULT", output), output.toString());
    String result = lineStartingWith(listener, "RESULT", output);
    assertEquals("RESULT all=true created=" + count + " updated=" + count + " removed=" + count
        + " oldValuesRight=true", result, output.toString());
  }
}
