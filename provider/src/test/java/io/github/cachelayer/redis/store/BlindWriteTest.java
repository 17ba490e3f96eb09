package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.RecordingListener;
import io.github.cachelayer.testing.redis.Monitor;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A put whose outcome does not depend on the entry it replaces, and that nobody listens to, is a
 * plain SET (MSET for putAll); anything that needs the previous entry still goes through the
 * entry script.
 */
class BlindWriteTest {
  static RedisServer redis;
  static CacheManager manager;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    manager = Managers.inOwnProvider("bw", Map.of("REDIS_URL", redis.url()));
  }

  @AfterAll
  static void stop() {
    manager.close();
    redis.close();
  }

  /** The commands the client sent while {@code operation} ran, without the scripts' own. */
  private static List<String> commandsOf(Runnable operation) {
    operation.run(); // loads scripts, warms connections
    try (Monitor monitor = new Monitor(redis)) {
      monitor.clear();
      operation.run();
      return monitor.commands().stream()
          .filter(line -> !line.contains(" lua]") && !line.contains("\"PING\""))
          .toList();
    }
  }

  /** The logical expiry time in the entry's header. */
  private static long expireAt(String key) {
    return Long.parseLong((String) redis.call("GETRANGE", key, "1", "13"));
  }

  private static long pttl(String key) {
    return (Long) redis.call("PTTL", key);
  }

  @Test
  void anEternalPutIsOneSetWithoutTtl() {
    Cache<String, String> cache = manager.createCache("eternal", new MutableConfiguration<>());
    List<String> commands = commandsOf(() -> cache.put("k", "v"));
    assertEquals(1, commands.size(), commands.toString());
    assertTrue(commands.get(0).contains("\"SET\" \"bw:eternal:k\""), commands.toString());
    assertEquals(-1, pttl("bw:eternal:k"));
    assertEquals("v", cache.get("k"));
  }

  @Test
  void aPutUnderModifiedExpiryIsOneSetWithTheDurationPlusRetention() {
    Cache<String, String> cache = manager.createCache("modified",
        new MutableConfiguration<String, String>().setExpiryPolicyFactory(
            ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5))));
    List<String> commands = commandsOf(() -> cache.put("k", "v"));
    assertEquals(1, commands.size(), commands.toString());
    assertTrue(commands.get(0).matches(".*\"(SET|PSETEX)\" \"bw:modified:k\".*"),
        commands.toString());
    long ttl = pttl("bw:modified:k");
    assertTrue(ttl > 300_000 && ttl <= 330_000, "5 min plus 30 s retention: " + ttl);
    long expireAt = expireAt("bw:modified:k");
    long expected = System.currentTimeMillis() + 300_000;
    assertTrue(Math.abs(expireAt - expected) < 10_000, "logical expiry " + expireAt);
  }

  /** The header holds times up to the year 2286; a later one is eternal, as in the script. */
  @Test
  void aDurationBeyondWhatTheHeaderHoldsIsEternal() {
    Cache<String, String> cache = manager.createCache("millennium",
        new MutableConfiguration<String, String>().setExpiryPolicyFactory(
            ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.DAYS, 365L * 1_000))));
    cache.put("k", "v");
    assertEquals(-1, pttl("bw:millennium:k"));
    assertEquals(9_999_999_999_999L, expireAt("bw:millennium:k"));
    assertEquals("v", cache.get("k"));
  }

  @Test
  void aPutThatKeepsTheCreationExpiryReadsTheEntryInTheScript() throws InterruptedException {
    Cache<String, String> cache = manager.createCache("created",
        new MutableConfiguration<String, String>().setExpiryPolicyFactory(
            CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5))));
    cache.put("k", "v0");
    long created = expireAt("bw:created:k");
    Thread.sleep(20); // a write that set a new expiry would move it
    List<String> commands = commandsOf(() -> cache.put("k", "v"));
    assertEquals(1, commands.size(), commands.toString());
    assertTrue(commands.get(0).contains("\"EVALSHA\""), commands.toString());
    assertEquals(created, expireAt("bw:created:k"), "an update leaves the expiry as it was");
  }

  @Test
  void aPutSomebodyListensToGoesThroughTheScriptAndReportsTheOldValue() {
    Cache<String, String> cache = manager.createCache("listened", new MutableConfiguration<>());
    RecordingListener<String, String> listener = new RecordingListener<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, true));
    cache.put("k", "v0");
    List<String> commands = commandsOf(() -> cache.put("k", "v"));
    assertTrue(commands.get(0).contains("\"EVALSHA\""), commands.toString());
    var last = listener.events.get(listener.events.size() - 1);
    assertEquals(EventType.UPDATED, last.getEventType());
    assertEquals("v", last.getOldValue(), "the value the warm-up put wrote");
    assertEquals("v0", listener.events.get(listener.events.size() - 2).getOldValue());
  }

  @Test
  void putAllIsOneMsetAndGetAllOneMget() {
    Cache<String, String> cache = manager.createCache("bulk", new MutableConfiguration<>());
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      entries.put("k" + i, "v" + i);
    }
    List<String> puts = commandsOf(() -> cache.putAll(entries));
    assertEquals(1, puts.size(), puts.toString());
    assertTrue(puts.get(0).contains("\"MSET\""), puts.toString());
    List<String> gets = commandsOf(() -> assertEquals(entries, cache.getAll(entries.keySet())));
    assertEquals(1, gets.size(), gets.toString());
    assertTrue(gets.get(0).contains("\"MGET\""), gets.toString());
    assertEquals(-1, pttl("bw:bulk:k3"));
  }
}
