package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.multijvm.Worker;
import io.github.cachelayer.testing.Conditions;
import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.Monitor;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A listener registration is a lease the JVM renews while it lives: a JVM killed with a listener
 * stops counting when its lease ends (writers go back to plain SETs), and nothing of the
 * registrations stays in Redis after the cache is destroyed.
 */
@Tag("multi-jvm") // a JVM killed
class ListenerLeaseTest {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  private static final String LEASE = "-Dcachelayer.redis.listener-lease=1s";

  private static CacheManager manager() {
    return Managers.inOwnProvider("multi-jvm", Map.of("REDIS_URL", REDIS.server().url()),
        Map.of("listener-lease", "1s"));
  }

  /** The commands a put sends (scripts' own calls excluded). */
  private static List<String> putCommands(Cache<String, Integer> cache) {
    try (Monitor monitor = new Monitor(REDIS.server())) {
      monitor.clear();
      cache.put("k", 1);
      return monitor.commands().stream().filter(line -> !line.contains(" lua]")
          && !line.contains("\"PING\"") && !line.contains("ZCOUNT")
          && !line.contains("ZREMRANGEBYSCORE")).toList();
    }
  }

  @Test
  void aKilledListenerJvmStopsCountingWhenItsLeaseEnds() {
    CacheManager manager = manager();
    try (JvmNode listener = JvmNode.start("listener", Worker.class,
        List.of(REDIS.server().url(), "listen", "1000000"), Map.of(), List.of(LEASE))) {
      listener.awaitLine("READY", Duration.ofSeconds(60));
      Cache<String, Integer> cache = manager.createCache("counters",
          new MutableConfiguration<String, Integer>());
      Conditions.await("this JVM sees the listener", () -> putCommands(cache).stream()
          .anyMatch(line -> line.contains("EVALSHA")));
      listener.kill(); // no goodbye
      Conditions.await("the dead JVM's lease ends", () ->
          ((Long) REDIS.server().call("EXISTS", "multi-jvm::listening:counters")) == 0L,
          Duration.ofSeconds(10));
      Conditions.await("puts are plain SETs again", () -> {
        List<String> commands = putCommands(cache);
        return commands.size() == 1 && commands.get(0).contains("\"SET\"");
      }, Duration.ofSeconds(10));
    } finally {
      manager.close();
    }
  }

  @Test
  void destroyingACacheLeavesNoRegistrationBehind() {
    CacheManager manager = manager();
    try {
      Cache<String, Integer> cache = manager.createCache("listened",
          new MutableConfiguration<String, Integer>());
      cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
          FactoryBuilder.factoryOf(Created.class), null, false, true));
      assertEquals(1L, REDIS.server().call("ZCARD", "multi-jvm::listening:listened"));
      manager.destroyCache("listened");
      assertEquals(0L, REDIS.server().call("EXISTS", "multi-jvm::listening:listened"));
      assertTrue(((List<?>) REDIS.server().call("KEYS", "*listen*")).isEmpty());
    } finally {
      manager.close();
    }
  }

  /** Does nothing: it only has to be registered. */
  public static final class Created implements CacheEntryCreatedListener<String, Integer>,
      java.io.Serializable {
    @Override
    public void onCreated(Iterable<javax.cache.event.CacheEntryEvent<? extends String,
        ? extends Integer>> events) {}
  }
}
