package io.github.cachelayer.benchmarks;

import io.github.cachelayer.testing.redis.Monitor;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;

/** The Redis commands each operation sends, per remote provider, recorded with MONITOR. */
final class CommandTrace {
  private CommandTrace() {}

  static Map<String, Map<String, List<String>>> record(RedisServer redis) {
    Map<String, Consumer<Cache<String, Object>>> operations = new LinkedHashMap<>();
    operations.put("get (hit)", cache -> cache.get("k1"));
    operations.put("get (miss)", cache -> cache.get("absent"));
    operations.put("put", cache -> cache.put("k1", Values.STRING_100));
    operations.put("putIfAbsent (present)", cache -> cache.putIfAbsent("k1", Values.STRING_100));
    operations.put("replace", cache -> cache.replace("k1", Values.STRING_100));
    operations.put("remove", cache -> cache.remove("k2"));
    operations.put("containsKey", cache -> cache.containsKey("k1"));
    operations.put("getAll (3 keys)", cache -> cache.getAll(Set.of("k1", "k3", "k4")));
    Map<String, Map<String, List<String>>> trace = new LinkedHashMap<>();
    for (String provider : new String[] {"cachelayer-redis", "redisson-jcache-tuned"}) {
      Peers.Opened opened = Peers.open(provider);
      Cache<String, Object> cache = opened.manager().createCache("trace",
          opened.style().apply(new MutableConfiguration<String, Object>()));
      Map<String, List<String>> byOperation = new LinkedHashMap<>();
      for (var operation : operations.entrySet()) {
        for (int i = 0; i < 5; i++) {
          cache.put("k" + i, Values.STRING_100);
        }
        operation.getValue().accept(cache); // warm: scripts loaded
        cache.put("k2", Values.STRING_100);
        try (Monitor monitor = new Monitor(redis)) {
          monitor.clear();
          operation.getValue().accept(cache);
          byOperation.put(operation.getKey(), monitor.commands().stream()
              .filter(line -> !line.contains("\"PING\""))
              .map(CommandTrace::shorten).toList());
        }
      }
      trace.put(provider, byOperation);
      opened.manager().destroyCache("trace");
      opened.manager().close();
    }
    return trace;
  }

  /** The command and its first arguments, without timestamps; how many more arguments follow. */
  private static String shorten(String line) {
    String command = line.replaceFirst("^\\S+ \\[[^]]*\\] ", "");
    boolean insideScript = line.contains(" lua]");
    String[] words = command.split(" ");
    StringBuilder out = new StringBuilder(insideScript ? "  (lua) " : "");
    for (int i = 0; i < Math.min(words.length, 3); i++) {
      out.append(words[i].length() > 40 ? words[i].substring(0, 40) + "..." : words[i]).append(' ');
    }
    if (words.length > 3) {
      // MGET and MSET name all their keys; say how many more there are rather than cut silently.
      out.append("… (").append(words.length - 3).append(" more)");
    }
    return out.toString().trim();
  }
}
