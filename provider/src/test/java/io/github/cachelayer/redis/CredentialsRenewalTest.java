package io.github.cachelayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCacheManager;
import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import io.github.cachelayer.management.CacheLayerHealth;
import io.github.cachelayer.testing.NearCacheSupport;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials that change (tokens, rotated passwords), against a real Redis with ACL users: every
 * connection of a manager (the data connections, pub/sub, the near cache's) authenticates again
 * with renewed credentials, while calls go on; credentials Redis refuses never reach a live
 * connection and show in health and logs without the secret.
 */
class CredentialsRenewalTest {
  private static RedisServer redis;

  /** What the test's provider gives next; a failure to throw instead when set. */
  static final class Switchable implements RedisCredentialsProvider {
    final AtomicReference<RedisCredentials> next = new AtomicReference<>();
    final AtomicReference<String> failure = new AtomicReference<>();
    final AtomicInteger asked = new AtomicInteger();

    Switchable(RedisCredentials first) {
      next.set(first);
    }

    @Override
    public RedisCredentials credentials() {
      asked.incrementAndGet();
      if (failure.get() != null) {
        throw new IllegalStateException(failure.get());
      }
      return next.get();
    }
  }

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @BeforeEach
  void users() {
    redis.call("ACL", "SETUSER", "alice", "reset", "on", ">alice-secret", "~*", "&*", "+@all");
    redis.call("ACL", "SETUSER", "bob", "reset", "on", ">bob-secret", "~*", "&*", "+@all");
  }

  private static CacheManager open(String namespace, Object provider,
      Map<String, String> credentialSettings) {
    Map<String, String> settings = new HashMap<>();
    credentialSettings.forEach((key, value) ->
        settings.put("cachelayer.redis.credentials." + key, value));
    settings.put("cachelayer.redis.namespace", namespace);
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT,
        Map.of("REDIS_URL", "redis://127.0.0.1:" + redis.port()));
    properties.put(ManagerOverrides.SETTINGS, settings);
    if (provider != null) {
      properties.put(RedisCredentialsProvider.PROPERTY, provider);
    }
    return new CacheLayerCachingProvider().getCacheManager(URI.create(namespace),
        CredentialsRenewalTest.class.getClassLoader(), properties);
  }

  /** The users the connections of CacheLayer's managers authenticated as. */
  private static List<String> usersOfConnections() {
    return redis.usersOfClients("cachelayer");
  }

  private static void awaitAllConnectionsAs(String user) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> users = usersOfConnections();
    while (!(users.stream().allMatch(user::equals) && !users.isEmpty())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("connections not all of user " + user + ": " + users + "\n"
            + redis.call("CLIENT", "LIST"));
      }
      Thread.sleep(50);
      users = usersOfConnections();
    }
  }

  /** Events from other managers, as a listener of this one receives them. */
  public static final class Received implements CacheEntryCreatedListener<String, String>,
      java.io.Serializable {
    static final BlockingQueue<String> KEYS = new LinkedBlockingQueue<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(event -> KEYS.add(event.getKey()));
    }
  }

  @Test
  void everyConnectionAuthenticatesAgainWithTheRenewedCredentialsWhileCallsGoOn()
      throws Exception {
    Switchable provider = new Switchable(RedisCredentials.of("alice", "alice-secret"));
    Switchable other = new Switchable(RedisCredentials.of("bob", "bob-secret"));
    try (CacheManager manager = open("renew", provider, Map.of("renew-every", "300ms"));
        CacheManager writer = open("renew", other, Map.of())) {
      Cache<String, String> plain = manager.createCache("plain",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      Cache<String, String> near = NearCacheSupport.nearCache(manager, "near");
      Cache<String, String> listened = manager.createCache("listened",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      Received.KEYS.clear();
      listened.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
          FactoryBuilder.factoryOf(Received.class), null, false, false));
      plain.put("k", "v");
      near.put("n", "v");
      NearCacheSupport.awaitNearHit(near, "n", "v");
      Cache<String, String> listenedElsewhere = writer.createCache("listened",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      listenedElsewhere.put("before", "v");
      assertEquals("before", Received.KEYS.poll(10, TimeUnit.SECONDS));
      assertTrue(usersOfConnections().contains("alice"), usersOfConnections().toString());
      writer.close();

      // Calls go on while every connection renews; none may fail.
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger calls = new AtomicInteger();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread caller = new Thread(() -> {
        while (running.get()) {
          try {
            String value = "v" + calls.incrementAndGet();
            plain.put("k", value);
            assertEquals(value, plain.get("k"));
          } catch (Throwable e) {
            failed.compareAndSet(null, e);
          }
        }
      });
      caller.start();
      Thread.sleep(200);
      provider.next.set(RedisCredentials.of("bob", "bob-secret"));
      awaitAllConnectionsAs("bob");
      // The old user's credentials stop working, as an expired token does: Redis disconnects
      // whoever still uses them.
      redis.call("ACL", "DELUSER", "alice");
      Thread.sleep(500);
      running.set(false);
      caller.join();
      if (failed.get() != null) {
        throw new AssertionError("a call failed during the renewal", failed.get());
      }
      assertTrue(calls.get() > 10, "calls during the renewal: " + calls.get());
      awaitAllConnectionsAs("bob");
      assertEquals(CacheLayerHealth.Status.UP,
          manager.unwrap(CacheLayerCacheManager.class).health().status());

      // The near cache's new connection tracks as the old one did; events still arrive.
      near.put("n", "w");
      NearCacheSupport.awaitNearHit(near, "n", "w");
      try (CacheManager again = open("renew", other, Map.of())) {
        again.createCache("listened", new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)).put("after", "v");
        assertEquals("after", Received.KEYS.poll(10, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void credentialsRedisRefusesNeverReachALiveConnectionAndShowInHealth() throws Exception {
    Switchable provider = new Switchable(RedisCredentials.of("alice", "alice-secret"));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (CacheManager manager = open("refused", provider,
        Map.of("renew-every", "200ms", "retry-interval", "200ms"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v");
      CacheLayerCacheManager layer = manager.unwrap(CacheLayerCacheManager.class);

      provider.next.set(RedisCredentials.of("alice", "not-the-secret-4711"));
      CacheLayerHealth health = awaitDegraded(layer);
      assertTrue(health.reason().contains("refused the renewed credentials of user 'alice'"),
          health.reason());
      assertFalse(health.reason().contains("not-the-secret-4711"), health.reason());
      for (int i = 0; i < 50; i++) {
        cache.put("k", "v" + i);
        assertEquals("v" + i, cache.get("k"));
      }
      assertTrue(usersOfConnections().stream().allMatch("alice"::equals),
          usersOfConnections().toString());

      provider.failure.set("token endpoint unreachable");
      health = awaitReason(layer, "token endpoint unreachable");
      assertEquals(CacheLayerHealth.Status.DEGRADED, health.status());

      provider.failure.set(null);
      provider.next.set(RedisCredentials.of("bob", "bob-secret"));
      awaitAllConnectionsAs("bob");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (layer.health().status() != CacheLayerHealth.Status.UP) {
        assertTrue(System.nanoTime() < deadline, layer.health().toString());
        Thread.sleep(50);
      }
      cache.put("k", "after");
      assertEquals("after", cache.get("k"));
    } finally {
      System.setErr(err);
    }
    String logged = captured.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("Renewing the Redis credentials failed"), logged);
    assertFalse(logged.contains("not-the-secret-4711"), logged);
    assertFalse(logged.contains("bob-secret"), logged);
  }

  @Test
  void credentialsAreRenewedBeforeTheyExpire() throws Exception {
    Switchable provider = new Switchable(RedisCredentials.of("alice", "alice-secret")
        .expiringAt(Instant.now().plusSeconds(3)));
    try (CacheManager manager = open("expiry", provider,
        Map.of("renew-before-expiry", "2s", "retry-interval", "200ms"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v");
      provider.next.set(RedisCredentials.of("bob", "bob-secret")
          .expiringAt(Instant.now().plusSeconds(3600)));
      awaitAllConnectionsAs("bob");
      assertEquals("v", cache.get("k"));
    }
  }

  @Test
  void newConnectionsAskTheProvider() {
    Switchable provider = new Switchable(RedisCredentials.of("bob", "bob-secret"));
    try (CacheManager manager = open("asked", provider, Map.of())) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v");
      assertTrue(provider.asked.get() >= 2, "asked " + provider.asked.get() + " times");
      assertTrue(usersOfConnections().contains("bob"), usersOfConnections().toString());
    }
  }

  @Test
  void aProviderThatGivesNothingAtStartUpFailsTheManagerNamingIt() {
    Switchable provider = new Switchable(null);
    provider.failure.set("no token today");
    CacheException thrown = assertThrows(CacheException.class,
        () -> open("nothing", provider, Map.of()).close());
    assertTrue(thrown.getMessage().contains("gave no credentials at start-up"),
        thrown.getMessage());
    assertTrue(thrown.getMessage().contains("no token today"), thrown.getMessage());
  }

  @Test
  void wrongCredentialsAtStartUpFailTheManagerWithoutTheSecret() {
    Switchable provider = new Switchable(RedisCredentials.of("alice", "wrong-3141"));
    CacheException thrown = assertThrows(CacheException.class,
        () -> open("wrong", provider, Map.of()).close());
    assertTrue(thrown.getMessage().contains("refused the credentials of the credentials "
        + "provider"), thrown.getMessage());
    assertFalse(thrown.getMessage().contains("wrong-3141"), thrown.getMessage());
  }

  /** A provider named by class, configured by the factory's own keys. */
  public static final class FixedFactory implements RedisCredentialsProvider.Factory {
    @Override
    public String name() {
      return "fixed-for-tests";
    }

    @Override
    public RedisCredentialsProvider create(Map<String, String> options) {
      for (String key : options.keySet()) {
        if (!key.equals("user")) {
          throw new IllegalArgumentException("unknown key " + key);
        }
      }
      String user = options.get("user");
      return () -> RedisCredentials.of(user, user + "-secret");
    }
  }

  @Test
  void aProviderIsNamedByClassWithItsOwnKeys() {
    try (CacheManager manager = open("by-class", null, Map.of(
        "provider", FixedFactory.class.getName(), "user", "bob"))) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v");
      assertTrue(usersOfConnections().contains("bob"), usersOfConnections().toString());
    }
    CacheException unknownKey = assertThrows(CacheException.class, () -> open("bad-key", null,
        Map.of("provider", FixedFactory.class.getName(), "usr", "bob")).close());
    assertTrue(unknownKey.getMessage().contains("unknown key usr"), unknownKey.getMessage());
    CacheException unknown = assertThrows(CacheException.class, () -> open("unknown", null,
        Map.of("provider", "no-such-provider")).close());
    assertTrue(unknown.getMessage().contains("cachelayer.redis.credentials.provider"),
        unknown.getMessage());
    assertTrue(unknown.getMessage().contains("no credentials provider is named "
        + "'no-such-provider'"), unknown.getMessage());
    CacheException orphan = assertThrows(CacheException.class, () -> open("orphan", null,
        Map.of("user", "bob")).close());
    assertTrue(orphan.getMessage().contains("cachelayer.redis.credentials.user"),
        orphan.getMessage());
  }

  @Test
  void aPasswordAndAProviderTogetherAreRefused() {
    Map<String, String> settings = new HashMap<>();
    settings.put("cachelayer.redis.credentials.provider", FixedFactory.class.getName());
    settings.put("cachelayer.redis.credentials.user", "bob");
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT,
        Map.of("REDIS_URL", "redis://bob:bob-secret@127.0.0.1:" + redis.port()));
    properties.put(ManagerOverrides.SETTINGS, settings);
    CacheException thrown = assertThrows(CacheException.class, () -> new CacheLayerCachingProvider()
        .getCacheManager(URI.create("both"), getClass().getClassLoader(), properties).close());
    assertTrue(thrown.getMessage().contains("and so is a password"), thrown.getMessage());
    assertFalse(thrown.getMessage().contains("bob-secret"), thrown.getMessage());
  }

  private static CacheLayerHealth awaitDegraded(CacheLayerCacheManager layer)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    CacheLayerHealth health = layer.health();
    while (health.status() != CacheLayerHealth.Status.DEGRADED) {
      assertTrue(System.nanoTime() < deadline, health.toString());
      Thread.sleep(50);
      health = layer.health();
    }
    return health;
  }

  private static CacheLayerHealth awaitReason(CacheLayerCacheManager layer, String part)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    CacheLayerHealth health = layer.health();
    while (health.reason() == null || !health.reason().contains(part)) {
      assertTrue(System.nanoTime() < deadline, health.toString());
      Thread.sleep(50);
      health = layer.health();
    }
    return health;
  }
}
