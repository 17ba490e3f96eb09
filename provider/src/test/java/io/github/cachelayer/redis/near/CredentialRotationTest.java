package io.github.cachelayer.redis.near;

import static io.github.cachelayer.testing.NearCacheSupport.nearLagsRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import io.github.cachelayer.testing.NearCacheSupport;
import io.github.cachelayer.testing.redis.FaultProxy;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.Serializable;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A credential that rotates every 2 s, as tokens do, in front of a Redis that drops connections
 * whose credential expired: an ACL user gets a new password every rotation and loses the one
 * before the last, and a proxy closes every connection whose last {@code AUTH} is older than the
 * previous rotation (so a credential is good for two periods). For 30 s, four threads write and
 * read through a plain and a near-cached cache, a listener receives another node's events, and
 * a reader compares the near cache with what Redis holds: no call fails, no read is stale.
 */
@Tag("fault") // connections dropped by a proxy as their credential expires
class CredentialRotationTest {
  private static final long ROTATION_MILLIS = 2_000;
  private static final long RUN_MILLIS = 30_000;

  /** Events of another node, as this node's listener receives them. */
  public static final class Counted implements CacheEntryCreatedListener<String, String>,
      CacheEntryUpdatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicLong EVENTS = new AtomicLong();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(event -> EVENTS.incrementAndGet());
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(event -> EVENTS.incrementAndGet());
    }
  }

  private static CacheManager manager(String url, RedisCredentialsProvider provider) {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, Map.of("REDIS_URL", url));
    if (provider != null) {
      properties.put(RedisCredentialsProvider.PROPERTY, provider);
      properties.put(ManagerOverrides.SETTINGS, Map.of(
          "cachelayer.redis.credentials.renew-before-expiry", "3s",
          "cachelayer.redis.credentials.retry-interval", "200ms"));
    }
    return new CacheLayerCachingProvider().getCacheManager(URI.create("rotation"),
        CredentialRotationTest.class.getClassLoader(), properties);
  }

  @Test
  void aRotatingCredentialNeverFailsACallNorServesAStaleRead() throws Exception {
    try (RedisServer redis = RedisServer.start();
        FaultProxy proxy = new FaultProxy(redis.port())) {
      List<String> passwords = new ArrayList<>();
      passwords.add("p0-" + UUID.randomUUID());
      long previousRotation = System.nanoTime(); // the first credential's issue
      redis.call("ACL", "SETUSER", "rotating", "on", ">" + passwords.get(0), "~*", "&*",
          "+@all");
      AtomicReference<RedisCredentials> current = new AtomicReference<>(RedisCredentials.of(
          "rotating", passwords.get(0)).expiringAt(Instant.now().plusMillis(2 * ROTATION_MILLIS)));
      try (CacheManager node = manager(proxy.url(), current::get);
          CacheManager other = manager(redis.url(), null)) {
        MutableConfiguration<String, String> plainConfiguration =
            new MutableConfiguration<String, String>().setTypes(String.class, String.class);
        Cache<String, String> plain = node.createCache("plain", plainConfiguration);
        Cache<String, String> near = NearCacheSupport.nearCache(node, "near");
        Cache<String, String> plainElsewhere = other.createCache("plain", plainConfiguration);
        Cache<String, String> truth = other.createCache("near", plainConfiguration);
        Counted.EVENTS.set(0);
        plain.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(Counted.class), null, false, false));
        truth.put("shared", "s0");
        NearCacheSupport.awaitNearHit(near, "shared", "s0");

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          String key = "t" + t;
          threads.add(new Thread(() -> {
            for (int i = 0; running.get(); i++) {
              String value = "v" + i;
              try {
                plain.put(key, value);
                check(problems, key, value, plain.get(key));
                near.put(key, value);
                check(problems, key, value, near.get(key));
                calls.addAndGet(4);
              } catch (RuntimeException e) {
                problems.add(key + ": " + e);
              }
            }
          }));
        }
        threads.add(new Thread(() -> {
          for (int round = 1; running.get(); round++) {
            try {
              truth.put("shared", "s" + round);
              plainElsewhere.put("event", "e" + round);
              problems.addAll(nearLagsRedis(near, truth, "shared",
                  InvalidationFeed.FRESHNESS_MILLIS));
              calls.incrementAndGet();
            } catch (RuntimeException e) {
              problems.add("shared: " + e);
            }
          }
        }));
        threads.forEach(Thread::start);

        // Rotate: a new password, the one before the last removed, and every connection that
        // authenticated before the previous rotation dropped.
        int dropped = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        for (int n = 1; System.nanoTime() < end; n++) {
          Thread.sleep(ROTATION_MILLIS);
          String password = "p" + n + "-" + UUID.randomUUID();
          passwords.add(password);
          redis.call("ACL", "SETUSER", "rotating", ">" + password);
          current.set(RedisCredentials.of("rotating", password)
              .expiringAt(Instant.now().plusMillis(2 * ROTATION_MILLIS)));
          long rotation = System.nanoTime();
          if (n >= 2) {
            redis.call("ACL", "SETUSER", "rotating", "<" + passwords.get(n - 2));
          }
          dropped += proxy.dropAuthenticatedBefore(previousRotation);
          previousRotation = rotation;
        }
        running.set(false);
        for (Thread thread : threads) {
          thread.join(10_000);
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: "
            + problems.stream().limit(5).toList());
        assertTrue(calls.get() > 1_000, "calls: " + calls.get());
        assertEquals(0, dropped, "connections still on an expired credential were dropped");
        assertTrue(Counted.EVENTS.get() > 10, "events received: " + Counted.EVENTS.get());
        assertTrue(NearCacheSupport.near(near).hits() > 0, NearCacheSupport.near(near)
            .toString());
      }
    }
  }

  private static void check(ConcurrentLinkedQueue<String> problems, String key, String wrote,
      String read) {
    if (!wrote.equals(read)) {
      problems.add(key + ": wrote " + wrote + ", read " + read);
    }
  }
}
