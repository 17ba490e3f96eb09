package io.github.cachelayer.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static int nodes;

  private static JvmNode worker(String... args) {
    List<String> all = new ArrayList<>(List.of(redis.url()));
    all.addAll(List.of(args));
    return JvmNode.start("worker-" + ++nodes, Worker.class, all, Map.of(), List.of());
  }

  @Test
  void entryProcessorsAreAtomicAcrossJvms() throws Exception {
    try (JvmNode first = worker("increment", "4", "10000");
        JvmNode second = worker("increment", "4", "10000")) {
      assertEquals("RESULT done", first.awaitLine("RESULT", PATIENCE));
      assertEquals("RESULT done", second.awaitLine("RESULT", PATIENCE));
    }
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
    String expected = "RESULT [loaded hot, loaded hot, loaded hot, loaded hot]";
    try (JvmNode first = worker("load", "4"); JvmNode second = worker("load", "4")) {
      assertEquals(expected, first.awaitLine("RESULT", PATIENCE), first.output());
      assertEquals(expected, second.awaitLine("RESULT", PATIENCE), second.output());
    }
    assertEquals("1", redis.call("GET", "loader-calls"), "8 readers in 2 JVMs, one load");
  }

  @Test
  void listenersInOneJvmSeeEveryWriteOfAnother() throws Exception {
    int count = 200;
    try (JvmNode listener = worker("listen", Integer.toString(count))) {
      assertEquals("READY", listener.awaitLine("READY", PATIENCE));
      // The registration is in Redis before READY: a JVM opening the cache now reads it.
      assertEquals(1L, redis.call("ZCARD", "multi-jvm::listening:counters"));
      try (JvmNode writer = worker("write", Integer.toString(count))) {
        assertEquals("RESULT done", writer.awaitLine("RESULT", PATIENCE));
      }
      assertEquals("RESULT all=true created=" + count + " updated=" + count + " removed="
          + count + " oldValuesRight=true", listener.awaitLine("RESULT", PATIENCE),
          listener.output());
    }
  }
}
