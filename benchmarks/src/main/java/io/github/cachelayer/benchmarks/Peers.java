package io.github.cachelayer.benchmarks;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.util.ManagerOverrides;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import org.redisson.config.Config;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * How each JCache provider under test is opened. Every provider is named by class, so several
 * share one classpath. "Tuned" Redisson settings are the same for CacheLayer and for Redisson's
 * own JCache: like is compared with like; Redisson's defaults are measured apart.
 */
final class Peers {
  /** Netty threads and connections per node, sized for a 2-core machine. */
  static final int TUNED_NETTY_THREADS = 4;
  static final int TUNED_POOL = 8;
  static final int TUNED_MIN_IDLE = 2;

  static final String CACHELAYER = "io.github.cachelayer.CacheLayerCachingProvider";
  static final String REDISSON = "org.redisson.jcache.JCachingProvider";
  static final String CAFFEINE = "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";

  private Peers() {}

  /** The Redis the benchmarks use, started by the runner: {@code -Dbench.redis.url}. */
  static String redisUrl() {
    String url = System.getProperty("bench.redis.url");
    if (url == null) {
      throw new IllegalStateException("-Dbench.redis.url is not set (the runner sets it)");
    }
    return url;
  }

  /** A CacheManager of one provider, and how it wants caches configured. */
  record Opened(CacheManager manager, ConfigurationStyle style) {}

  /** Turns a standard configuration into what the provider needs (Redisson wants its Config). */
  interface ConfigurationStyle {
    <K, V> Configuration<K, V> apply(MutableConfiguration<K, V> configuration);
  }

  static Opened open(String provider) {
    return switch (provider) {
      case "cachelayer-redis" -> {
        System.setProperty("cachelayer.redis.netty-threads", Integer.toString(TUNED_NETTY_THREADS));
        System.setProperty("cachelayer.redis.pool-size", Integer.toString(TUNED_POOL));
        System.setProperty("cachelayer.redis.minimum-idle", Integer.toString(TUNED_MIN_IDLE));
        yield new Opened(cacheLayerOnRedis(), identity());
      }
      // What an application gets: every client setting at its default.
      case "cachelayer-defaults" -> new Opened(cacheLayerOnRedis(), identity());
      case "cachelayer-fallback" -> new Opened(cacheLayer(Map.of()), identity());
      case "redisson-jcache-tuned" -> redisson(true);
      case "redisson-jcache-default" -> redisson(false);
      case "caffeine-jcache" -> new Opened(
          Caching.getCachingProvider(CAFFEINE).getCacheManager(), identity());
      default -> throw new IllegalArgumentException("Unknown provider " + provider);
    };
  }

  /**
   * CacheLayer on the benchmark's Redis, the values' package allowed (as the Spring Boot starter
   * allows an application's packages).
   */
  private static CacheManager cacheLayerOnRedis() {
    System.setProperty("cachelayer.default.codec.allow.0", "io.github.cachelayer.benchmarks.*");
    return cacheLayer(Map.of("REDIS_URL", redisUrl()));
  }

  private static CacheManager cacheLayer(Map<String, String> environment) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, environment);
    return Caching.getCachingProvider(CACHELAYER).getCacheManager(URI.create("bench"),
        Peers.class.getClassLoader(), properties);
  }

  private static Opened redisson(boolean tuned) {
    Config config = redissonConfig(tuned);
    // Redisson reads its manager URI as a configuration file; the default URI has none, and
    // each cache carries the client configuration instead (RedissonConfiguration.fromConfig).
    CacheManager manager = Caching.getCachingProvider(REDISSON).getCacheManager();
    return new Opened(manager, new ConfigurationStyle() {
      @Override
      public <K, V> Configuration<K, V> apply(MutableConfiguration<K, V> configuration) {
        return RedissonConfiguration.fromConfig(config, configuration);
      }
    });
  }

  /** A Redisson client configuration: its defaults, or the tuned settings CacheLayer uses. */
  static Config redissonConfig(boolean tuned) {
    Config config = new Config();
    var single = config.useSingleServer().setAddress(redisUrl());
    if (tuned) {
      config.setNettyThreads(TUNED_NETTY_THREADS);
      // CacheLayer's default transport where the native library loads, as Lettuce's too.
      if (io.netty.channel.epoll.Epoll.isAvailable()) {
        config.setTransportMode(org.redisson.config.TransportMode.EPOLL);
      }
      single.setConnectionPoolSize(TUNED_POOL).setConnectionMinimumIdleSize(TUNED_MIN_IDLE);
    }
    return config;
  }

  private static ConfigurationStyle identity() {
    return new ConfigurationStyle() {
      @Override
      public <K, V> Configuration<K, V> apply(MutableConfiguration<K, V> configuration) {
        return configuration;
      }
    };
  }
}
