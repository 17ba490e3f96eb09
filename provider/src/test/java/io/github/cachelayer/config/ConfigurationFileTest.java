package io.github.cachelayer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.local.CaffeineStore;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.util.Clock;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigurationFileTest {
  private static CacheManager open(String uri) {
    return Managers.open(URI.create(uri), Clock.SYSTEM, Map.of());
  }

  @Test
  void declaredCachesAreCreatedOnFirstGetWithTheirSettings() {
    try (CacheManager manager = open("classpath:cachelayer-test.conf")) {
      Cache<String, String> sessions = manager.getCache("sessions");
      assertNotNull(sessions);
      assertSame(sessions, manager.getCache("sessions"));
      CompleteConfiguration<?, ?> configuration =
          sessions.getConfiguration(CompleteConfiguration.class);
      assertTrue(configuration.isStatisticsEnabled());
      ExpiryPolicy policy = configuration.getExpiryPolicyFactory().create();
      assertEquals(AccessedExpiryPolicy.class, policy.getClass());
      assertEquals(new Duration(TimeUnit.MILLISECONDS, 3_600_000), policy.getExpiryForAccess());
      assertNull(manager.getCache("not-declared"));
      List<String> names = new ArrayList<>();
      manager.getCacheNames().forEach(names::add);
      assertEquals(List.of("bounded", "by-reference", "sessions", "typed"), names);
    }
  }

  @Test
  void getCacheDoesNotEnforceTheDeclaredTypes() {
    try (CacheManager manager = open("classpath:cachelayer-test.conf")) {
      Cache<Object, Object> typed = manager.getCache("typed");
      assertEquals(String.class, typed.getConfiguration(CompleteConfiguration.class).getKeyType());
      assertThrows(ClassCastException.class, () -> typed.put(1, 1), "but puts are checked");
      typed.put("one", 1);
    }
  }

  @Test
  void maximumSizeBoundsALocalCacheAndCountsEvictions() {
    try (CacheManager manager = open("classpath:cachelayer-test.conf")) {
      Cache<Integer, Integer> bounded = manager.getCache("bounded");
      for (int i = 0; i < 100; i++) {
        bounded.put(i, i);
      }
      bounded.unwrap(CaffeineStore.class).cleanUp();
      int present = 0;
      for (Cache.Entry<Integer, Integer> ignored : bounded) {
        present++;
      }
      assertEquals(10, present);
      assertEquals(90, bounded.unwrap(CacheLayerCache.class).statistics().getCacheEvictions());
    }
  }

  @Test
  void storeByReferenceWhenConfigured() {
    try (CacheManager manager = open("classpath:cachelayer-test.conf")) {
      Cache<String, List<String>> cache = manager.getCache("by-reference");
      List<String> value = new ArrayList<>(List.of("a"));
      cache.put("k", value);
      assertSame(value, cache.get("k"));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "classpath:bad/unknown-key.conf      | cachelayer.caches.users.maximum-size",
      "classpath:bad/bad-value.conf        | cachelayer.caches.users.maximum.size",
      "classpath:bad/missing-duration.conf | cachelayer.caches.users.expiry.duration",
      "classpath:bad/unknown-policy.conf   | cachelayer.caches.users.expiry.policy",
      "classpath:bad/missing-class.conf    | cachelayer.caches.users.loader",
      "classpath:bad/near-cache-zero.conf  | cachelayer.caches.users.near-cache.maximum.size",
      "classpath:bad/near-cache-ttl.conf   | cachelayer.caches.users.near-cache.ttl",
      "classpath:bad/near-cache-unknown.conf | cachelayer.caches.users.near-cache.max-idle",
  })
  void badFilesFailWithTheKeyNamed(String uri, String key) {
    ConfigurationException thrown = assertThrows(ConfigurationException.class, () -> open(uri));
    assertTrue(thrown.getMessage().contains("'" + key), thrown.getMessage());
  }

  /** Off unless a maximum size is given; the ttl has a default. */
  @Test
  void aNearCacheIsDeclaredByItsMaximumSize(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("near.conf");
    java.nio.file.Files.writeString(file, String.join("\n",
        "cachelayer.caches.products { near-cache { maximum.size = 500, ttl = 30s } }",
        "cachelayer.caches.sized { near-cache.maximum.size = 50 }",
        "cachelayer.caches.plain { }"));
    ManagerSettings settings = ManagerSettings.load(file.toUri(), false,
        getClass().getClassLoader(), Map.of());
    assertEquals(new NearCacheSettings(500, java.time.Duration.ofSeconds(30)),
        settings.declaredCache("products").getNearCache());
    assertEquals(new NearCacheSettings(50, NearCacheSettings.DEFAULT_TTL),
        settings.declaredCache("sized").getNearCache());
    assertNull(settings.declaredCache("plain").getNearCache());
    assertNull(settings.defaults().getNearCache());
  }

  /**
   * With the default URI the file is application.conf; a framework's application.properties
   * beside it (Spring Boot's, holding the starter's cachelayer.rate-limit and cachelayer.session
   * keys) is not CacheLayer's and is never read.
   */
  @Test
  void theDefaultFileIsApplicationConfNeverAFrameworksApplicationProperties(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("application.properties"), String.join("\n",
        "spring.cache.type=jcache",
        "cachelayer.rate-limit.rules.api.path=/api/**",
        "cachelayer.session.timeout=30m",
        "cachelayer.caches.users.maximum.size=not-read"));
    try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      ManagerSettings settings = ManagerSettings.load(URI.create("default"), true, loader,
          Map.of());
      assertNull(settings.declaredCache("users"), "nothing read from application.properties");

      java.nio.file.Files.writeString(dir.resolve("application.conf"),
          "cachelayer.caches.users.maximum.size = 10");
      ManagerSettings withConf = ManagerSettings.load(URI.create("default"), true, loader,
          Map.of());
      assertEquals(10L, withConf.declaredCache("users").getMaximumSize());
    }
  }

  @Test
  void badValueMessageSaysWhatIsWrong() {
    ConfigurationException thrown = assertThrows(ConfigurationException.class,
        () -> open("classpath:bad/bad-value.conf"));
    assertTrue(thrown.getMessage().contains("must be a whole number"), thrown.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"classpath:no/such/file.conf", "file:/no/such/dir/cachelayer.conf",
      "jar:file:/no/such.jar!/cachelayer.conf"})
  void missingFileIsAnErrorNamingIt(String uri) {
    CacheException thrown = assertThrows(CacheException.class, () -> open(uri));
    assertTrue(thrown.getMessage().contains(uri), thrown.getMessage());
  }

  @Test
  void redisFromTheFileIsDetectedAndThePasswordNeverShown() {
    ManagerSettings settings = ManagerSettings.load(URI.create("classpath:redis-in-file.conf"),
        false, getClass().getClassLoader(), Map.of());
    assertTrue(settings.isRedisConfigured());
    assertFalse(settings.toString().contains("s3cret-in-file"));
    assertFalse(settings.redis().toString().contains("s3cret-in-file"));
    assertEquals("s3cret-in-file", settings.redis().password());
    assertEquals("app", settings.redis().username());
  }

  @Test
  void redisUrlForms() {
    RedisSettings tls = ManagerSettings.load(URI.create("u1"), false, getClass().getClassLoader(),
        Map.of("REDIS_URL", "rediss://:pa%40ss@cache.example.net:6380/2")).redis();
    assertTrue(tls.ssl());
    assertEquals(List.of("rediss://cache.example.net:6380"), tls.addresses());
    assertEquals("pa@ss", tls.password());
    assertEquals(2, tls.database());
    RedisSettings parts = ManagerSettings.load(URI.create("u2"), false,
        getClass().getClassLoader(),
        Map.of("REDIS_HOST", "10.1.2.3", "REDIS_PORT", "6390", "REDIS_PASSWORD", "pw")).redis();
    assertEquals(List.of("redis://10.1.2.3:6390"), parts.addresses());
    assertEquals("pw", parts.password());
    ConfigurationException bad = assertThrows(ConfigurationException.class,
        () -> ManagerSettings.load(URI.create("u3"), false, getClass().getClassLoader(),
            Map.of("REDIS_URL", "http://user:topsecret@host:1")));
    assertFalse(bad.getMessage().contains("topsecret"), bad.getMessage());
    for (Map.Entry<String, String> url : Map.of(
        "redis://:s3cret@@cache.example.net:6380", "more than one '@'",
        "redis://:s3cret@cache.example.net:notaport",
        "port 'notaport' of host 'cache.example.net' is not a number",
        "redis://:s3cret@bad_host!:6379", "host 'bad_host!:6379' is not a valid host name",
        "redis://:s3cret@", "has no host").entrySet()) {
      ConfigurationException malformed = assertThrows(ConfigurationException.class,
          () -> ManagerSettings.load(URI.create("u4"), false, getClass().getClassLoader(),
              Map.of("REDIS_URL", url.getKey())));
      assertTrue(malformed.getMessage().contains("cachelayer.redis.url")
          && malformed.getMessage().contains(url.getValue()), malformed.getMessage());
      assertFalse(malformed.getMessage().contains("s3cret"), malformed.getMessage());
    }
  }

  private static CacheLayerConfiguration<Object, Object> cacheSettings(String text) {
    com.typesafe.config.Config defaults = com.typesafe.config.ConfigFactory.defaultReference()
        .getConfig("cachelayer.default");
    return CacheSettingsParser.parse("cachelayer.caches.c",
        com.typesafe.config.ConfigFactory.parseString(text).withFallback(defaults),
        getClassLoader());
  }

  private static ClassLoader getClassLoader() {
    return ConfigurationFileTest.class.getClassLoader();
  }

  @Test
  void outagePolicyAndValueSizeLimitPerCache() {
    CacheLayerConfiguration<Object, Object> inherited = cacheSettings("");
    assertNull(inherited.getOutagePolicy(), "the manager's policy");
    assertEquals(0, inherited.getMaxValueSize(), "no limit");
    CacheLayerConfiguration<Object, Object> own =
        cacheSettings("on-outage = local, codec.max-value-size = 512k");
    assertEquals(OutagePolicy.LOCAL, own.getOutagePolicy());
    assertEquals(512 * 1024, own.getMaxValueSize());
    ConfigurationException policy = assertThrows(ConfigurationException.class,
        () -> cacheSettings("on-outage = ignore"));
    assertTrue(policy.getMessage().contains("cachelayer.caches.c.on-outage")
        && policy.getMessage().contains("fail, bypass or local"), policy.getMessage());
    ConfigurationException size = assertThrows(ConfigurationException.class,
        () -> cacheSettings("codec.max-value-size = big"));
    assertTrue(size.getMessage().contains("codec.max-value-size"), size.getMessage());
    ConfigurationException renamed = assertThrows(ConfigurationException.class,
        () -> cacheSettings("when-redis-unavailable = local"));
    assertTrue(renamed.getMessage().contains("replaced by on-outage"), renamed.getMessage());
  }

  @Test
  void theNearCacheProtocolIsOneSettingOfTheManager() {
    assertEquals(RedisSettings.NearCacheProtocol.AUTO, redisSettings("").nearCacheProtocol());
    assertEquals(RedisSettings.NearCacheProtocol.RESP3,
        redisSettings("near-cache.protocol = RESP3").nearCacheProtocol());
    assertEquals(RedisSettings.NearCacheProtocol.RESP2,
        redisSettings("near-cache { protocol = resp2 }").nearCacheProtocol());
    ConfigurationException bad = assertThrows(ConfigurationException.class,
        () -> redisSettings("near-cache.protocol = resp4"));
    assertTrue(bad.getMessage().contains("cachelayer.redis.near-cache.protocol")
        && bad.getMessage().contains("auto, resp2 or resp3"), bad.getMessage());
    ConfigurationException unknown = assertThrows(ConfigurationException.class,
        () -> redisSettings("near-cache.ttl = 1s"));
    assertTrue(unknown.getMessage().contains("cachelayer.redis.near-cache.ttl"),
        unknown.getMessage());
    ConfigurationException perCache = assertThrows(ConfigurationException.class,
        () -> cacheSettings("near-cache { maximum.size = 10, protocol = resp3 }"));
    assertTrue(perCache.getMessage().contains("cachelayer.caches.c.near-cache.protocol")
        && perCache.getMessage().contains("cachelayer.redis.near-cache.protocol"),
        perCache.getMessage());
  }

  @Test
  void theTransportIsAutoUnlessNamed() {
    assertEquals(RedisSettings.Transport.AUTO, redisSettings("").transport());
    assertEquals(RedisSettings.Transport.NIO, redisSettings("transport = NIO").transport());
    assertEquals(RedisSettings.Transport.EPOLL, redisSettings("transport = epoll").transport());
    ConfigurationException bad = assertThrows(ConfigurationException.class,
        () -> redisSettings("transport = io_uring"));
    assertTrue(bad.getMessage().contains("cachelayer.redis.transport")
        && bad.getMessage().contains("auto, nio or epoll"), bad.getMessage());
  }

  @Test
  void multiKeyCommandsAreOnOutsideAClusterUnlessSwitchedOff() {
    assertTrue(redisSettings("").multiKeyCommands());
    assertFalse(redisSettings("multi-key-commands = false").multiKeyCommands());
    assertFalse(redisSettings("cluster-nodes = [\"127.0.0.1:7000\"]").multiKeyCommands(),
        "never in a cluster");
    ConfigurationException bad = assertThrows(ConfigurationException.class,
        () -> redisSettings("multi-key-commands = sometimes"));
    assertTrue(bad.getMessage().contains("cachelayer.redis.multi-key-commands"), bad.getMessage());
  }

  private static RedisSettings redisSettings(String text) {
    return RedisSettings.parse(com.typesafe.config.ConfigFactory.parseString(
            "host = localhost\n" + text)
        .withFallback(com.typesafe.config.ConfigFactory.defaultReference()
            .getConfig("cachelayer.redis"))
        .resolve());
  }

  @Test
  void blankRedisHostMeansFallback() {
    ManagerSettings settings = ManagerSettings.load(URI.create("blank"), false,
        getClass().getClassLoader(), Map.of("REDIS_HOST", " ", "REDIS_PORT", "6380"));
    assertFalse(settings.isRedisConfigured());
  }
}
