package io.github.cachelayer.redis.near;

import static io.github.cachelayer.testing.NearCacheSupport.assertEventually;
import static io.github.cachelayer.testing.NearCacheSupport.awaitNearHit;
import static io.github.cachelayer.testing.NearCacheSupport.awaitServing;
import static io.github.cachelayer.testing.NearCacheSupport.near;
import static io.github.cachelayer.testing.NearCacheSupport.nearCache;
import static io.github.cachelayer.testing.NearCacheSupport.nearConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.NearCacheSettings;
import io.github.cachelayer.management.NearCacheStatistics;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.NearCacheSupport;
import io.github.cachelayer.testing.redis.FaultProxy;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.testing.redis.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The near cache against a real redis-server, through the JCache API: two managers from
 * providers of their own stand for two JVMs (the separate-process test is
 * {@code NearCacheAcrossJvmsTest}).
 */
class NearCacheTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  private CacheManager reader;
  private CacheManager writer;

  @BeforeEach
  void open() {
    reader = Managers.inOwnProvider("near", Map.of("REDIS_URL", redis.url()));
    writer = Managers.inOwnProvider("near", Map.of("REDIS_URL", redis.url()));
  }

  @AfterEach
  void close() {
    reader.close();
    writer.close();
  }

  private static Cache<String, String> plainCache(CacheManager manager, String name) {
    CacheLayerConfiguration<String, String> configuration = new CacheLayerConfiguration<>();
    configuration.setTypes(String.class, String.class);
    return manager.createCache(name, configuration);
  }

  private static long commandsProcessed() {
    String info = String.valueOf(redis.call("INFO", "stats"));
    for (String line : info.split("\r\n")) {
      if (line.startsWith("total_commands_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no total_commands_processed in INFO");
  }

  @Test
  void repeatedReadsAreAnsweredWithoutRedisAndCountAsHits() throws Exception {
    Cache<String, String> cache = nearCache(reader, "hits");
    cache.put("k", "v");
    awaitServing(cache);
    assertEquals("v", cache.get("k"));
    long before = commandsProcessed();
    for (int i = 0; i < 1_000; i++) {
      assertEquals("v", cache.get("k"));
    }
    // Heartbeats and the INFO calls themselves run meanwhile: far fewer than 1,000 commands.
    assertTrue(commandsProcessed() - before < 100, "reads reached Redis");
    NearCacheStatistics statistics = near(cache);
    assertTrue(statistics.hits() >= 1_000, statistics.toString());
    var jcache = cache.unwrap(CacheLayerCache.class).statistics();
    assertEquals(1_001, jcache.getCacheHits(), "near hits are the cache's hits too");
    assertTrue(cache.containsKey("k"));
    assertEquals(Map.of("k", "v"), cache.getAll(Set.of("k")));
  }

  @Test
  void anotherNodesWriteRemoveAndClearInvalidate() throws Exception {
    Cache<String, String> mine = nearCache(reader, "shared");
    Cache<String, String> theirs = plainCache(writer, "shared");
    theirs.put("k", "v1");
    awaitServing(mine);
    assertEquals("v1", mine.get("k"));
    assertEquals("v1", mine.get("k"));
    theirs.put("k", "v2");
    assertEventually(() -> "v2".equals(mine.get("k")));
    theirs.remove("k");
    assertEventually(() -> mine.get("k") == null);
    theirs.put("k", "v3");
    assertEquals("v3", mine.get("k"));
    theirs.clear();
    assertEventually(() -> mine.get("k") == null);
    theirs.put("k", "v4");
    assertEquals("v4", mine.get("k"));
    redis.call("FLUSHALL");
    assertEventually(() -> mine.get("k") == null);
  }

  @Test
  void aNodeReadsItsOwnWritesAtOnce() throws Exception {
    Cache<String, String> cache = nearCache(reader, "own");
    awaitServing(cache);
    for (int i = 0; i < 500; i++) {
      cache.put("k", "v" + i);
      assertEquals("v" + i, cache.get("k"));
      assertEquals("v" + i, cache.get("k"));
    }
    cache.remove("k");
    assertNull(cache.get("k"));
    cache.putAll(Map.of("a", "1", "b", "2"));
    assertEquals(Map.of("a", "1", "b", "2"), cache.getAll(Set.of("a", "b")));
    cache.putAll(Map.of("a", "3", "b", "4"));
    assertEquals(Map.of("a", "3", "b", "4"), cache.getAll(Set.of("a", "b")));
    assertTrue(cache.replace("a", "5"));
    assertEquals("5", cache.get("a"));
    cache.invoke("b", (entry, args) -> {
      entry.setValue(entry.getValue() + "!");
      return null;
    });
    assertEquals("4!", cache.get("b"));
  }

  @Test
  void expiryByRedisAndByPolicyIsSeen() throws Exception {
    CacheLayerConfiguration<String, String> configuration =
        nearConfiguration(100, Duration.ofMinutes(10));
    configuration.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
        new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 300)));
    Cache<String, String> cache = reader.createCache("expiring", configuration);
    awaitServing(cache);
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));
    Thread.sleep(400);
    assertNull(cache.get("k"), "an expired copy was served");
    // A key Redis expires by itself (its TTL) is invalidated too.
    Cache<String, String> plain = nearCache(reader, "ttl");
    plain.put("k", "v");
    assertEquals("v", plain.get("k"));
    String redisKey = "near:ttl:k";
    assertEquals(1L, redis.call("PEXPIRE", redisKey, "100"));
    assertEventually(() -> plain.get("k") == null);
  }

  /**
   * A key Redis evicts for memory is invalidated too. The key is the only one with a TTL, so
   * {@code volatile-ttl} picks it; Redis is back to normal before the near cache is read, so a
   * miss can only come from the invalidation (a read under the memory limit could fail).
   */
  @Test
  void aKeyRedisEvictsForMemoryIsInvalidated() throws Exception {
    Cache<String, String> cache = nearCache(reader, "evicted");
    awaitServing(cache);
    plainCache(writer, "evicted").put("k", "v");
    String redisKey = "near:evicted:k";
    assertEquals(1L, redis.call("PEXPIRE", redisKey, "3600000"));
    Thread.sleep(200); // the write's and the PEXPIRE's invalidations come before the copy
    awaitNearHit(cache, "k", "v");
    long invalidations = near(cache).invalidations();
    String policy = String.valueOf(((List<?>) redis.call("CONFIG", "GET",
        "maxmemory-policy")).get(1));
    long evicted = infoField("evicted_keys");
    try {
      redis.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
      redis.call("CONFIG", "SET", "maxmemory", "1");
      try {
        redis.call("SET", "near-filler", "x"); // makes Redis evict, then refuses
      } catch (java.io.UncheckedIOException refused) {
        assertTrue(refused.getMessage().contains("OOM"), refused.getMessage());
      }
      assertEquals(0L, redis.call("EXISTS", redisKey));
    } finally {
      redis.call("CONFIG", "SET", "maxmemory", "0");
      redis.call("CONFIG", "SET", "maxmemory-policy", policy);
    }
    assertTrue(infoField("evicted_keys") > evicted, "evicted, not expired");
    assertEventually(() -> near(cache).invalidations() > invalidations);
    assertNull(cache.get("k"), "the evicted key's copy was served");
  }

  private static long infoField(String field) {
    for (String line : String.valueOf(redis.call("INFO", "stats")).split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    throw new AssertionError("INFO stats has no " + field);
  }

  @Test
  void theTtlBoundsHowLongACopyIsKept() throws Exception {
    CacheLayerConfiguration<String, String> configuration =
        nearConfiguration(100, Duration.ofMillis(200));
    Cache<String, String> cache = reader.createCache("short", configuration);
    awaitServing(cache);
    cache.put("k", "v");
    // The invalidation of this node's own write comes back too, and may drop the first copy.
    assertEventually(() -> near(cache).invalidations() >= 1);
    cache.get("k");
    assertEquals(1, near(cache).size());
    Thread.sleep(300);
    long missesBefore = near(cache).misses();
    assertEquals("v", cache.get("k"));
    assertEquals(missesBefore + 1, near(cache).misses(), "the copy outlived its ttl");
  }

  /**
   * A full near cache keeps its hot keys through a scan of keys read once, and its bound (its
   * eviction policy sees one lookup in 16, which makes hits cheaper).
   */
  @Test
  void aFullNearCacheKeepsItsHotKeysThroughAScan() throws Exception {
    CacheLayerConfiguration<String, String> configuration =
        nearConfiguration(100, Duration.ofMinutes(10));
    Cache<String, String> cache = reader.createCache("bounded", configuration);
    Map<String, String> all = new HashMap<>();
    for (int i = 0; i < 10 + 50 * 40; i++) {
      all.put("k" + i, "v" + i);
    }
    plainCache(writer, "bounded").putAll(all);
    awaitServing(cache);
    for (int round = 0; round < 50; round++) {
      for (int hot = 0; hot < 10; hot++) {
        assertEquals("v" + hot, cache.get("k" + hot));
      }
      for (int cold = 0; cold < 40; cold++) {
        int key = 10 + round * 40 + cold; // each read once
        assertEquals("v" + key, cache.get("k" + key));
      }
    }
    long misses = near(cache).misses();
    for (int hot = 0; hot < 10; hot++) {
      cache.get("k" + hot);
    }
    assertTrue(near(cache).misses() - misses <= 2, "hot keys were evicted by a scan: "
        + (near(cache).misses() - misses) + " of 10 missed");
    assertTrue(near(cache).size() <= 100, "bounded: " + near(cache).size());
  }

  @Test
  void aCacheWhoseReadsTouchRunsWithoutANearCache() {
    CacheLayerConfiguration<String, String> configuration =
        nearConfiguration(100, Duration.ofMinutes(10));
    configuration.setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(
        javax.cache.expiry.Duration.ONE_MINUTE));
    Cache<String, String> cache = reader.createCache("touched", configuration);
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));
    assertNull(near(cache));
  }

  /** A mutable value that counts the instances Kryo makes of it (decoding, copying). */
  public static final class Counted {
    static final AtomicInteger MADE =
        new AtomicInteger();
    String text;

    Counted() {
      MADE.incrementAndGet();
    }
  }

  /**
   * A near cache keeps objects, so a cache with one copies values in and out; a cache that
   * cannot use its near cache only decodes what Redis answers, as one without it.
   */
  @Test
  void aCacheWithoutItsNearCacheMakesNoExtraCopies() {
    assertEquals(madeByPutAndGet("touched-copies", true),
        madeByPutAndGet("touched-plain", false));
  }

  private int madeByPutAndGet(String name, boolean declaresNearCache) {
    CacheLayerConfiguration<String, Counted> configuration = new CacheLayerConfiguration<>();
    configuration.setTypes(String.class, Counted.class);
    configuration.setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(
        javax.cache.expiry.Duration.ONE_MINUTE));
    if (declaresNearCache) {
      configuration.setNearCache(new NearCacheSettings(100, Duration.ofMinutes(10)));
    }
    Cache<String, Counted> cache = reader.createCache(name, configuration);
    Counted value = new Counted();
    value.text = "v";
    int before = Counted.MADE.get();
    cache.put("k", value);
    assertEquals("v", cache.get("k").text);
    return Counted.MADE.get() - before;
  }

  @Test
  @Tag("fault") // CLIENT KILL, five rounds
  void killingTheInvalidationConnectionFlushesBeforeAnythingStaleIsRead() throws Exception {
    Cache<String, String> mine = nearCache(reader, "killed");
    Cache<String, String> theirs = plainCache(writer, "killed");
    for (int round = 0; round < 5; round++) {
      theirs.put("k", "old" + round);
      awaitServing(mine);
      String old = "old" + round;
      assertEventually(() -> old.equals(mine.get("k"))); // after the invalidation delay
      long flushes = near(mine).flushes();
      killNearCacheConnections();
      theirs.put("k", "new" + round); // Redis cannot tell this node any more
      long written = System.nanoTime();
      // Until this node sees the connection closed (well under a millisecond here) it may
      // still serve the old copy: the documented bound is the heartbeat's freshness window.
      long lastStale = -1;
      while (System.nanoTime() - written < TimeUnit.MILLISECONDS.toNanos(1_500)) {
        long start = System.nanoTime();
        if (!("new" + round).equals(mine.get("k"))) {
          lastStale = start - written;
        }
      }
      assertTrue(lastStale < TimeUnit.MILLISECONDS.toNanos(InvalidationFeed.FRESHNESS_MILLIS),
          "a stale read began " + lastStale / 1_000 + " us after the write");
      System.out.println("Round " + round + ": " + (lastStale < 0 ? "no stale read"
          : "last stale read began " + lastStale / 1_000 + " us after the write"));
      assertTrue(near(mine).flushes() > flushes, "the lost connection did not flush");
    }
    awaitServing(mine);
    theirs.put("k", "after");
    assertEventually(() -> "after".equals(mine.get("k")));
  }

  /**
   * The near caches of a manager share one invalidation connection per master (with its
   * heartbeat); a cache added later does not disturb those already serving, and the connection
   * goes when the last near cache does.
   */
  @Test
  void theNearCachesOfAManagerShareOneConnection() throws Exception {
    Cache<String, String> first = nearCache(reader, "share-a");
    assertTrue(near(first).serving(), "a near cache serves from its first read");
    Cache<String, String> firstTheirs = plainCache(writer, "share-a");
    firstTheirs.put("k", "a1");
    assertEventually(() -> {
      long before = near(first).hits();
      return "a1".equals(first.get("k")) && near(first).hits() > before;
    });
    long flushes = near(first).flushes();
    long hits = near(first).hits();
    Cache<String, String> second = nearCache(reader, "share-b");
    assertTrue(near(second).serving(), "a cache added later serves from its first read too");
    Cache<String, String> secondTheirs = plainCache(writer, "share-b");
    assertEquals("a1", first.get("k"));
    assertEquals(hits + 1, near(first).hits(), "the first cache kept its copy and served it");
    assertEquals(flushes, near(first).flushes(), "adding a cache flushed another");
    assertEventually(() -> nearConnections() == 1);
    // The protocol the suite runs under (the build runs it under both): a RESP2 connection is
    // subscribed (flag P), a RESP3 one receives pushes.
    boolean resp3 = "resp3".equals(System.getProperty("cachelayer.redis.near-cache.protocol"));
    String flags = nearConnectionFlags();
    assertTrue(flags.contains("t") && flags.contains("P") != resp3, flags);
    firstTheirs.put("k", "a2");
    secondTheirs.put("k", "b2");
    assertEventually(() -> "a2".equals(first.get("k")));
    assertEventually(() -> "b2".equals(second.get("k")));
    first.close();
    firstTheirs.put("k", "a3"); // its invalidation has no cache to go to now
    secondTheirs.put("k", "b3");
    assertEventually(() -> "b3".equals(second.get("k")));
    assertEquals(1, nearConnections());
    second.close();
    assertEventually(() -> nearConnections() == 0);
  }

  private static String nearConnectionFlags() {
    String clients = String.valueOf(redis.call("CLIENT", "LIST"));
    String line = clients.lines().filter(l -> l.contains("name=cachelayer-near-cache"))
        .findFirst().orElseThrow(() -> new AssertionError("no near cache connection"));
    return line.replaceAll(".* flags=(\\S*) .*", "$1");
  }

  private static long nearConnections() {
    return NearCacheSupport.nearConnections(redis.call("CLIENT", "LIST"));
  }

  private static void killNearCacheConnections() {
    String clients = String.valueOf(redis.call("CLIENT", "LIST"));
    int killed = 0;
    for (String line : clients.split("\n")) {
      if (line.contains("name=cachelayer-near-cache")) {
        String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
        redis.call("CLIENT", "KILL", "ID", id);
        killed++;
      }
    }
    assertTrue(killed > 0, "no near cache connection in CLIENT LIST");
  }

  @Test
  @Tag("fault") // redis-server killed and restarted
  void aRestartedRedisNeverBringsBackAnOldCopy() throws Exception {
    RedisServer server = RedisServer.start();
    RedisServer restarted = null;
    Map<String, String> fast = Map.of("timeout", "300ms", "retries", "0",
        "reconnect-interval", "200ms", "breaker-open-for", "200ms");
    try (CacheManager one = Managers.inOwnProvider("near-restart",
            Map.of("REDIS_URL", server.url()), fast);
        CacheManager two = Managers.inOwnProvider("near-restart",
            Map.of("REDIS_URL", server.url()), fast)) {
      Cache<String, String> mine = nearCache(one, "restart");
      Cache<String, String> theirs = plainCache(two, "restart");
      theirs.put("k", "before");
      awaitServing(mine);
      assertEquals("before", mine.get("k"));
      server.kill();
      // While Redis is away nothing is proven fresh: the outage policy (bypass) answers.
      long down = System.nanoTime();
      while (System.nanoTime() - down < TimeUnit.MILLISECONDS.toNanos(1_000)) {
        String seen = mine.get("k");
        if (System.nanoTime() - down > TimeUnit.MILLISECONDS.toNanos(600)) {
          assertNull(seen, "a copy was served while Redis was down");
        }
      }
      restarted = server.startAgain();
      RedisServer back = restarted;
      // Under bypass a write while Redis is away is skipped: write until it reaches Redis.
      assertEventually(() -> {
        theirs.put("k", "after");
        return Long.valueOf(1).equals(back.call("EXISTS", "near-restart:restart:k"));
      });
      assertEventually(() -> "after".equals(mine.get("k")));
      awaitServing(mine);
      assertEquals("after", mine.get("k"));
      assertEquals("after", mine.get("k"));
      assertTrue(near(mine).flushes() >= 1);
    } finally {
      server.close();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  /**
   * A frozen Redis (SIGSTOP) keeps the invalidation connection open: only the unanswered
   * heartbeats tell. Copies stop being served within the freshness window, reads meanwhile get
   * the outage policy's answer (fail), and after SIGCONT the write that was sent into the freeze
   * and then settled is what this node reads; the copy from before never comes back.
   */
  @Test
  @Tag("fault") // redis-server frozen with SIGSTOP
  void aFrozenRedisStopsTheNearCacheServingWithinTheWindow() throws Exception {
    Map<String, String> failFast = Map.of("on-outage", "fail", "timeout", "300ms",
        "retries", "0", "breaker-open-for", "200ms");
    try (RedisServer server = RedisServer.start();
        CacheManager one = Managers.inOwnProvider("near-frozen",
            Map.of("REDIS_URL", server.url()), failFast);
        CacheManager two = Managers.inOwnProvider("near-frozen",
            Map.of("REDIS_URL", server.url()), failFast)) {
      Cache<String, String> mine = nearCache(one, "frozen");
      Cache<String, String> theirs = plainCache(two, "frozen");
      theirs.put("k", "old");
      awaitServing(mine);
      awaitNearHit(mine, "k", "old");
      CompletableFuture<Void> write;
      int refused = 0;
      long lastCopy = -1;
      server.pause();
      try {
        long frozen = System.nanoTime();
        write = CompletableFuture.runAsync(() -> theirs.put("k", "new"));
        while (System.nanoTime() - frozen < TimeUnit.MILLISECONDS.toNanos(1_500)) {
          long start = System.nanoTime();
          try {
            long hits = near(mine).hits();
            String seen = mine.get("k");
            if (near(mine).hits() > hits) {
              lastCopy = start - frozen;
            }
            assertTrue(start - frozen < TimeUnit.MILLISECONDS.toNanos(
                InvalidationFeed.FRESHNESS_MILLIS + 100), "a copy (" + seen + ") was served "
                + (start - frozen) / 1_000_000 + " ms into the freeze");
          } catch (RedisUnavailableException expected) {
            refused++;
          }
        }
        assertFalse(near(mine).serving(), "the near cache still served a frozen Redis");
      } finally {
        server.resume();
      }
      assertTrue(refused > 0, "no read went to the frozen Redis");
      System.out.println("Frozen Redis: last copy served " + lastCopy / 1_000_000
          + " ms into the freeze, " + refused + " reads refused");
      boolean written;
      try {
        write.join();
        written = true;
      } catch (CompletionException e) {
        assertTrue(e.getCause() instanceof RedisUnavailableException,
            e.toString());
        written = false; // unsettled: its writer deletes the key once Redis answers
      }
      String settled = written ? "new" : null;
      // The breakers stay open a moment after the freeze: a refused read is not an answer.
      assertEventually(() -> answers(theirs, "k", settled));
      assertEventually(() -> answers(mine, "k", settled));
      awaitServing(mine);
      for (int i = 0; i < 3; i++) {
        assertEquals(settled, mine.get("k"), "after the freeze");
      }
      assertTrue(near(mine).flushes() >= 1 || near(mine).invalidations() >= 1);
    }
  }

  /**
   * A user Redis does not let switch tracking on (an ACL without {@code client|tracking}, as a
   * managed Redis may set up): the near cache never serves a copy, and the cache works as
   * without one.
   */
  @Test
  void aUserRedisRefusesTrackingReadsFromRedisOnly() throws Exception {
    try {
      redis.call("ACL", "SETUSER", "notrack", "on", ">notrack-secret", "~*", "&*", "+@all",
          "-client|tracking");
    } catch (java.io.UncheckedIOException beforeRedis7) {
      // Redis 6.2 cannot deny one subcommand: deny CLIENT, then allow what the data
      // connections use.
      redis.call("ACL", "SETUSER", "notrack", "on", ">notrack-secret", "~*", "&*", "+@all",
          "-client", "+client|setname", "+client|id", "+client|kill", "+client|list",
          "+client|info");
    }
    redis.call("ACL", "LOG", "RESET");
    try (CacheManager one = Managers.inOwnProvider("near-noperm", Map.of("REDIS_URL",
            redis.url().replace("redis://", "redis://notrack:notrack-secret@")));
        CacheManager two = Managers.inOwnProvider("near-noperm",
            Map.of("REDIS_URL", redis.url()))) {
      Cache<String, String> mine = nearCache(one, "noperm");
      Cache<String, String> theirs = plainCache(two, "noperm");
      theirs.put("k", "v1");
      for (int i = 0; i < 50; i++) {
        assertEquals("v1", mine.get("k"));
        Thread.sleep(50);
      }
      // A refusal is asked again after 10 s, not on every tick or second, nor by every cache
      // created meanwhile: Redis counts them.
      Cache<String, String> another = nearCache(one, "noperm-too");
      assertNull(another.get("k"));
      assertEquals(1L, refusedTrackingCount(), "the refused handshake was repeated");
      theirs.put("k", "v2");
      assertEquals("v2", mine.get("k"), "a copy was served without invalidations");
      mine.put("k", "v3");
      assertEquals("v3", theirs.get("k"));
      assertEquals(0, near(mine).hits(), near(mine).toString());
      assertFalse(near(mine).serving());
    } finally {
      redis.call("ACL", "DELUSER", "notrack");
    }
  }

  @Test
  void aServerThatRefusesRedirectionIsServedOverResp3() throws Exception {
    // As Redis Software, Redis Cloud and Azure Managed Redis do: no REDIRECT, RESP3 pushes only.
    try (FaultProxy proxy = new FaultProxy(redis.server().port())) {
      proxy.refuse("REDIRECT", "ERR REDIRECT is not supported");
      // A proxy in front of shards may keep its role to itself.
      proxy.refuse("$4\r\nROLE", "ERR unknown command 'ROLE'");
      try (CacheManager one = Managers.inOwnProvider("near-resp3",
              Map.of("REDIS_URL", proxy.url()));
          CacheManager two = Managers.inOwnProvider("near-resp3",
              Map.of("REDIS_URL", redis.url()))) {
        Cache<String, String> mine = nearCache(one, "pushed");
        Cache<String, String> theirs = plainCache(two, "pushed");
        theirs.put("k", "v1");
        awaitServing(mine);
        awaitNearHit(mine, "k", "v1");
        String flags = nearConnectionFlags();
        // Tracking on, and no subscription: invalidations come as RESP3 pushes.
        assertTrue(flags.contains("t") && !flags.contains("P"), flags);
        long hits = near(mine).hits();
        for (int i = 0; i < 100; i++) {
          assertEquals("v1", mine.get("k"));
        }
        assertTrue(near(mine).hits() >= hits + 100, near(mine).toString());
        theirs.put("k", "v2");
        assertEventually(() -> "v2".equals(mine.get("k")));
        theirs.remove("k");
        assertEventually(() -> mine.get("k") == null);
        theirs.put("k", "v3");
        awaitNearHit(mine, "k", "v3");
        redis.call("FLUSHALL");
        assertEventually(() -> mine.get("k") == null);
      }
    }
  }

  /** How often Redis refused CLIENT TRACKING since its ACL log was reset (ACL LOG's count). */
  private static long refusedTrackingCount() {
    long count = 0;
    for (Object entry : (List<?>) redis.call("ACL", "LOG")) {
      List<?> fields = (List<?>) entry;
      if (String.valueOf(fields).contains("client")) {
        count += ((Number) fields.get(fields.indexOf("count") + 1)).longValue();
      }
    }
    return count;
  }

  private static boolean answers(Cache<String, String> cache, String key, String expected) {
    try {
      return Objects.equals(expected, cache.get(key));
    } catch (RedisUnavailableException notYet) {
      return false;
    }
  }

  @Test
  void settingsAreValidated() {
    assertThrows(IllegalArgumentException.class,
        () -> new NearCacheSettings(0, Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new NearCacheSettings(10, Duration.ZERO));
    assertNotNull(new NearCacheSettings(10, Duration.ofSeconds(1)));
  }
}
