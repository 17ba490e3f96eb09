package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ClassAllowList;
import io.github.cachelayer.codec.KryoValueCodec;
import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.config.Config;
import io.github.cachelayer.local.CaffeineStore;
import io.github.cachelayer.redis.outage.SwitchingStore;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoreContract;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStoreContractTest extends StoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  private static RedissonClient client;
  private static io.github.cachelayer.redis.link.RedisLink link;

  static RedisStore<String, String> redisStore(String cacheName,
      io.github.cachelayer.util.Clock clock, boolean multiKeyScripts) {
    if (client == null) {
      Config config = new Config();
      config.useSingleServer().setAddress(REDIS.url());
      client = Redisson.create(config);
      link = io.github.cachelayer.redis.link.RedisLink.of(client,
          new io.github.cachelayer.redis.link.LinkSettings(5_000_000_000L, 5_000_000_000L, 3,
              100_000_000L, 4, true));
    }
    KryoValueCodec codec = new KryoValueCodec(ClassAllowList.of(cacheName, List.of()), false,
        RedisStoreContractTest.class::getClassLoader);
    return new RedisStore<>(client, link, "contract", cacheName, codec, codec, clock,
        RedisStoreOptions.defaults(30_000, multiKeyScripts));
  }

  @AfterAll
  static void shutdown() {
    if (client != null) {
      link.close();
      client.shutdown();
      client = null;
    }
  }

  @Override
  protected boolean showsExpiredEntries() {
    return true;
  }

  @Override
  protected Store<String, String> newStore(String cacheName) {
    return redisStore(cacheName, clock, true);
  }

  /** As in a cluster: bulk operations pipelined per node instead of multi-key scripts. */
  @Nested
  class Pipelined extends StoreContract {
    @Override
    protected boolean showsExpiredEntries() {
      return true;
    }

    @Override
    protected Store<String, String> newStore(String cacheName) {
      return redisStore(cacheName, clock, false);
    }
  }

  /** A cache that started on a local stand-in and switched to Redis. */
  @Nested
  class Switched extends StoreContract {
    @Override
    protected boolean showsExpiredEntries() {
      return true;
    }

    @Override
    protected Store<String, String> newStore(String cacheName) {
      SwitchingStore<String, String> store = new SwitchingStore<>(
          CaffeineStore.create(clock, -1, -1, null, (key, entry, expired) -> { }, true));
      store.switchTo(redisStore(cacheName, clock, true));
      return store;
    }
  }
}
