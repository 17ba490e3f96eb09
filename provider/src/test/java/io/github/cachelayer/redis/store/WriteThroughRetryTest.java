package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.Test;

/**
 * Documents (docs/outages.md) what compare-and-set means for a writer: when another JVM
 * changes the entry between the read and the commit, the decision runs again, and so does the
 * writer. Writers in Redis mode should be idempotent.
 */
class WriteThroughRetryTest {
  /** Records every write; on the first, another JVM (manager) changes the same entry. */
  static final class ConflictingWriter implements CacheWriter<String, String> {
    static final List<String> WRITES = new CopyOnWriteArrayList<>();
    static volatile Cache<String, String> otherJvm;

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      WRITES.add(entry.getValue());
      if (WRITES.size() == 1) {
        otherJvm.put(entry.getKey(), "from the other JVM");
      }
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.forEach(this::write);
    }

    @Override
    public void delete(Object key) {}

    @Override
    public void deleteAll(Collection<?> keys) {}
  }

  @Test
  void aConflictingWriteRunsTheDecisionAndItsWriterAgain() {
    try (RedisServer redis = RedisServer.start();
        CacheManager mine = Managers.inOwnProvider("retry", Map.of("REDIS_URL", redis.url()));
        CacheManager other = Managers.inOwnProvider("retry", Map.of("REDIS_URL", redis.url()))) {
      ConflictingWriter.WRITES.clear();
      ConflictingWriter.otherJvm = other.createCache("c", new MutableConfiguration<>());
      Cache<String, String> cache = mine.createCache("c", new MutableConfiguration<String, String>()
          .setCacheWriterFactory(ConflictingWriter::new).setWriteThrough(true));
      cache.put("k", "mine");
      assertEquals(List.of("mine", "mine"), ConflictingWriter.WRITES,
          "the writer ran once per attempt: the first lost to the other JVM's write");
      assertEquals("mine", cache.get("k"), "the retried decision committed");
    }
  }
}
