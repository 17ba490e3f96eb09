package io.github.cachelayer.benchmarks;

import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.testing.redis.Resp;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;

/** Redis memory per entry (INFO memory delta over 100,000 entries) for each remote peer. */
final class Footprint {
  static final int ENTRIES = 100_000;

  private Footprint() {}

  static Map<String, Double> measure(RedisServer redis) throws IOException {
    Map<String, Double> bytesPerEntry = new LinkedHashMap<>();
    bytesPerEntry.put("plain SET", plainSet(redis));
    for (String provider : new String[] {"cachelayer-redis", "redisson-jcache-tuned"}) {
      redis.call("FLUSHALL");
      long before = usedMemory(redis);
      Peers.Opened opened = Peers.open(provider);
      Cache<String, Object> cache = opened.manager().createCache("footprint",
          opened.style().apply(new MutableConfiguration<String, Object>()));
      Map<String, Object> batch = new HashMap<>();
      for (int i = 0; i < ENTRIES; i++) {
        batch.put("k" + i, Values.STRING_100);
        if (batch.size() == 1_000) {
          cache.putAll(batch);
          batch.clear();
        }
      }
      long after = usedMemory(redis);
      bytesPerEntry.put(provider, (after - before) / (double) ENTRIES);
      opened.manager().destroyCache("footprint");
      opened.manager().close();
    }
    redis.call("FLUSHALL");
    return bytesPerEntry;
  }

  /** SET of the same key names and the same 100 bytes, pipelined. */
  private static double plainSet(RedisServer redis) throws IOException {
    redis.call("FLUSHALL");
    long before = usedMemory(redis);
    try (Resp resp = redis.connect()) {
      for (int from = 0; from < ENTRIES; from += 1_000) {
        for (int i = from; i < from + 1_000; i++) {
          resp.send("SET", "bench:footprint:k" + i, Values.STRING_100);
        }
        for (int i = from; i < from + 1_000; i++) {
          resp.read();
        }
      }
    }
    return (usedMemory(redis) - before) / (double) ENTRIES;
  }

  private static long usedMemory(RedisServer redis) {
    String info = (String) redis.call("INFO", "memory");
    return info.lines().filter(line -> line.startsWith("used_memory:"))
        .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
        .findFirst().orElseThrow();
  }
}
