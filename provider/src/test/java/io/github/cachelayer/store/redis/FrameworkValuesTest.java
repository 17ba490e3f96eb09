package io.github.cachelayer.store.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.Serializable;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.hibernate.cache.spi.entry.StandardCacheEntryImpl;
import org.junit.jupiter.api.Test;
import org.springframework.cache.support.NullValue;

/**
 * What Spring's and Hibernate's JCache support put into caches must work in Redis mode with no
 * allow-list configuration: they are promised to work by configuration alone.
 */
class FrameworkValuesTest {
  @Test
  void springNullValueAndHibernateEntriesNeedNoAllowListEntry() {
    try (RedisServer redis = RedisServer.start();
        CacheManager manager = Managers.inOwnProvider("frameworks", Map.of("REDIS_URL", redis.url()))) {
      Cache<Object, Object> spring = manager.createCache("books", new MutableConfiguration<>());
      spring.put("missing-book", NullValue.INSTANCE);
      assertSame(NullValue.INSTANCE, spring.get("missing-book"),
          "Spring compares NullValue by identity");

      Cache<Object, Object> hibernate = manager.createCache("com.example.Book",
          new MutableConfiguration<>());
      hibernate.put(42L, new StandardCacheEntryImpl(
          new Serializable[] {"Dune", 1965, java.time.LocalDate.of(1965, 8, 1)}, "Book", 3));
      StandardCacheEntryImpl read = (StandardCacheEntryImpl) hibernate.get(42L);
      assertArrayEquals(new Serializable[] {"Dune", 1965, java.time.LocalDate.of(1965, 8, 1)},
          read.disassembledState);
      assertEquals(3, read.version);
    }
  }
}
