package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayer;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import io.github.cachelayer.testing.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link RedisCredentialsProvider} bean of the application is the one Boot's JCache cache
 * manager authenticates with (Entra ID tokens, rotated passwords): no property names it.
 */
class CredentialsProviderBeanTest {
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Caching {}

  @TempDir
  Path folder;

  @Test
  void theApplicationsProviderGivesRedisItsCredentials() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      redis.call("ACL", "SETUSER", "spring-app", "on", ">spring-secret", "~*", "&*", "+@all");
      Path file = Files.writeString(folder.resolve("cachelayer.conf"),
          "cachelayer.redis.url = \"redis://127.0.0.1:" + redis.port() + "\"\n");
      AtomicInteger asked = new AtomicInteger();
      RedisCredentialsProvider provider = () -> {
        asked.incrementAndGet();
        return RedisCredentials.of("spring-app", "spring-secret");
      };
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CacheLayerCacheAutoConfiguration.class,
              CacheAutoConfiguration.class, CacheLayerAutoConfiguration.class))
          .withUserConfiguration(Caching.class)
          .withBean(RedisCredentialsProvider.class, () -> provider)
          .withPropertyValues("spring.cache.type=jcache",
              "spring.cache.jcache.config=" + file.toUri())
          .run(context -> {
            assertEquals(null, context.getStartupFailure());
            assertEquals("redis", context.getBean(CacheLayer.class).mode());
            CacheManager caches = context.getBean(CacheManager.class);
            caches.getCache("books").put("k", "v");
            assertEquals("v", caches.getCache("books").get("k").get());
            assertTrue(asked.get() >= 1);
            String clients = String.valueOf(redis.call("CLIENT", "LIST"));
            assertTrue(clients.lines().filter(line -> line.contains(" name=cachelayer"))
                .allMatch(line -> line.contains(" user=spring-app ")), clients);
          });
    }
  }
}
