package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.Monitor;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every single-key operation costs one command from the client, counted by MONITOR, with the
 * specification's expiry policies and no writer or listener.
 */
@Tag("slow") // counts commands with MONITOR for every operation
class RoundTripTest {
  static RedisServer redis;
  static CacheManager manager;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    manager = Managers.inOwnProvider("rt", Map.of("REDIS_URL", redis.url()));
  }

  @AfterAll
  static void stop() {
    manager.close();
    redis.close();
  }

  /** The commands the client sent while {@code operation} ran (scripts' own calls excluded). */
  private static List<String> commandsOf(Cache<String, String> cache,
      Consumer<Cache<String, String>> operation) {
    operation.accept(cache); // loads scripts, warms connections
    cache.put("k", "v");
    try (Monitor monitor = new Monitor(redis)) {
      monitor.clear();
      operation.accept(cache);
      return monitor.commands().stream()
          .filter(line -> !line.contains(" lua]") && !line.contains("\"PING\""))
          .toList();
    }
  }

  private static void assertOneRoundTrip(Cache<String, String> cache, String name,
      Consumer<Cache<String, String>> operation) {
    List<String> commands = commandsOf(cache, operation);
    // The command each operation sends, for the record (target/surefire-reports/*-output.txt).
    System.out.println("MONITOR " + name + ": " + commands.stream()
        .map(line -> line.replaceAll("^\\S+ \\[[^]]*\\] ", "").replaceAll("(\"EVALSHA\" \"[0-9a-f]{8})[0-9a-f]+", "$1..."))
        .map(line -> line.length() > 160 ? line.substring(0, 160) + "..." : line)
        .toList());
    assertEquals(1, commands.size(), name + " sent " + commands);
  }

  @Test
  void eachSingleKeyOperationIsOneCommand() {
    Cache<String, String> cache = manager.createCache("eternal", new MutableConfiguration<>());
    assertOneRoundTrip(cache, "get hit", c -> c.get("k"));
    assertOneRoundTrip(cache, "get miss", c -> c.get("absent"));
    assertOneRoundTrip(cache, "containsKey", c -> c.containsKey("k"));
    assertOneRoundTrip(cache, "put", c -> c.put("k", "v2"));
    assertOneRoundTrip(cache, "getAndPut", c -> c.getAndPut("k", "v3"));
    assertOneRoundTrip(cache, "putIfAbsent", c -> c.putIfAbsent("k", "v4"));
    assertOneRoundTrip(cache, "replace", c -> c.replace("k", "v5"));
    assertOneRoundTrip(cache, "replace(k, old, new)", c -> c.replace("k", "v", "v6"));
    assertOneRoundTrip(cache, "getAndReplace", c -> c.getAndReplace("k", "v7"));
    assertOneRoundTrip(cache, "remove", c -> c.remove("k"));
    assertOneRoundTrip(cache, "remove(k, v)", c -> c.remove("k", "v"));
    assertOneRoundTrip(cache, "getAndRemove", c -> c.getAndRemove("k"));
  }

  @Test
  void readsThatTouchAreOneCommandToo() {
    for (var policy : List.of(
        AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5)),
        TouchedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5)))) {
      Cache<String, String> cache = manager.createCache("touch-" + policy.create().getClass()
          .getSimpleName(), new MutableConfiguration<String, String>().setExpiryPolicyFactory(policy));
      assertOneRoundTrip(cache, "get with touch", c -> c.get("k"));
      assertOneRoundTrip(cache, "put", c -> c.put("k", "v2"));
    }
  }

  /** Loads "loaded-" + key. */
  static final class Loader implements javax.cache.integration.CacheLoader<String, String>,
      java.io.Serializable {
    @Override
    public String load(String key) {
      return "loaded-" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> loaded = new java.util.HashMap<>();
      keys.forEach(key -> loaded.put(key, load(key)));
      return loaded;
    }
  }

  @Test
  void aReadThroughMissReadsTheEntryOnceBeforeTheLeaseAndOnceUnderIt() {
    Cache<String, String> cache = manager.createCache("read-through",
        new MutableConfiguration<String, String>().setReadThrough(true)
            .setCacheLoaderFactory(javax.cache.configuration.FactoryBuilder.factoryOf(new Loader())));
    cache.get("warm");
    try (Monitor monitor = new Monitor(redis)) {
      monitor.clear();
      assertEquals("loaded-cold", cache.get("cold"));
      List<String> commands = monitor.commands().stream()
          .filter(line -> !line.contains(" lua]") && !line.contains("\"PING\"")).toList();
      long entryReads = commands.stream()
          .filter(line -> line.contains("\"GET\" \"rt:read-through:cold\"")).count();
      assertEquals(2, entryReads, commands.toString());
      assertEquals(1, commands.stream().filter(line -> line.contains("\"SET\"")
          && line.contains("::lease:")).count(), commands.toString());
      // The loaded value is kept by one entry.lua call (no compare-and-set claim), then the
      // lease is released by another script.
      assertEquals(2, commands.stream().filter(line -> line.contains("\"EVALSHA\"")).count(),
          commands.toString());
      org.junit.jupiter.api.Assertions.assertTrue(
          commands.stream().noneMatch(line -> line.contains("~claim")),
          commands.toString());
    }
  }

  @Test
  void theTouchMovesRedisTtlAndTheLogicalExpiry() {
    Cache<String, String> cache = manager.createCache("ttl", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.HOURS, 1))));
    cache.put("k", "v");
    redis.call("PEXPIRE", "rt:ttl:k", "60000");
    cache.get("k");
    long ttl = (Long) redis.call("PTTL", "rt:ttl:k");
    assertEquals(true, ttl > 3_500_000, "an hour plus retention again: " + ttl);
  }
}
