package io.github.cachelayer.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.ratelimit.LimiterState;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.session.MergeSession;
import io.github.cachelayer.session.Session;
import io.github.cachelayer.session.SessionManager;
import io.github.cachelayer.session.TouchSession;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.Monitor;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The helpers' scripts through the caches: {@code session.lua} against the Java processors it
 * ports (the same random requests through a fallback cache and a Redis cache on one clock must
 * answer alike and leave equal sessions), a rate limit decided on Redis's clock whatever the
 * limiter's clock says, and each call one command on the wire. {@code ratelimit.lua} against
 * {@code RateLimit.decide} on chosen times: {@code redis.helpers.RateLimitScriptTest}.
 */
class HelperScriptsTest {
  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final MutableClock clock = new MutableClock(HelperSuite.START);
  private CacheManager local;
  private CacheManager redis;

  @BeforeEach
  void open() {
    local = Managers.fresh(clock::millis);
    redis = Managers.inOwnProvider("scripts-" + UUID.randomUUID(), clock::millis,
        Map.of("REDIS_URL", REDIS.server().url()));
  }

  @AfterEach
  void close() {
    local.close();
    redis.close();
  }

  /**
   * In Redis mode a limit is decided on Redis's clock: a limiter whose clock is an hour behind
   * (as a JVM's could be) counts in the window Redis is in, and states its window's number.
   */
  @Test
  void aLimitIsDecidedOnRedissClockNotTheLimiters() {
    MutableClock behind = new MutableClock(System.currentTimeMillis() - 3_600_000);
    RateLimit rule = RateLimit.fixedWindow(5, Duration.ofHours(2));
    RateLimiter limiter = RateLimiter.create(redis, "redis-clock", rule, behind);
    long before = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      assertTrue(limiter.tryAcquire("k").allowed());
    }
    assertTrue(!limiter.tryAcquire("k").allowed(), "the sixth in the window");
    long after = System.currentTimeMillis();
    LimiterState state = limiter.cache().get("k");
    long period = rule.period().toMillis();
    assertTrue(state.get(0) == Math.floorDiv(before, period)
        || state.get(0) == Math.floorDiv(after, period), "the window Redis is in: " + state);
    assertEquals(5, state.get(1));
  }

  @Test
  void aStateWrittenByTheScriptReadsBackInJava() {
    RateLimiter script = RateLimiter.create(redis, "rate",
        RateLimit.slidingWindow(10, Duration.ofSeconds(10), 3), clock);
    script.tryAcquire("k", 4);
    LimiterState state = script.cache().get("k");
    assertEquals(5, state.size(), "slot and four counts: " + state);
    assertEquals(4, state.get(1) + state.get(2) + state.get(3) + state.get(4));
  }

  @Test
  void theSessionScriptTouchesAndMergesAsJava() {
    MutableConfiguration<String, Session> configuration =
        new MutableConfiguration<String, Session>().setTypes(String.class, Session.class)
            .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new ModifiedExpiryPolicy(
                new javax.cache.expiry.Duration(java.util.concurrent.TimeUnit.SECONDS, 2))));
    Cache<String, Session> java = local.createCache("session", configuration);
    Cache<String, Session> script = redis.createCache("session", configuration);
    Random random = new Random(11);
    long start = clock.millis();
    // Session c has an idle timeout of its own, shorter than the cache's.
    for (String id : List.of("a", "b", "c")) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("role", "admin");
      data.put("n", 1);
      Session session = Session.of(id, "user-" + id, start, start, start + 6_000,
          maxIdle(id), data);
      java.put(id, session);
      script.put(id, session);
    }
    for (int i = 0; i < 400; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(10) == 0 ? 2_500 : random.nextInt(300)));
      String id = List.of("a", "b", "c").get(random.nextInt(3));
      Object processor;
      if (random.nextBoolean()) {
        processor = new TouchSession(clock.millis() - random.nextInt(50));
      } else {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (int c = random.nextInt(4); c >= 0; c--) {
          String name = "x" + random.nextInt(5);
          changes.put(name, random.nextInt(4) == 0 ? null : List.of(i, name));
        }
        processor = new MergeSession(changes, clock.millis());
      }
      @SuppressWarnings("unchecked")
      javax.cache.processor.EntryProcessor<String, Session, Session> step =
          (javax.cache.processor.EntryProcessor<String, Session, Session>) processor;
      assertEquals(java.invoke(id, step), script.invoke(id, step), "step " + i);
      assertEquals(java.get(id), script.get(id), "session after step " + i);
      if (java.get(id) == null) {
        Session fresh = Session.of(id, "user-" + id, clock.millis(), clock.millis(),
            clock.millis() + 6_000, maxIdle(id), Map.of("n", i));
        java.put(id, fresh);
        script.put(id, fresh);
      }
    }
  }

  private static long maxIdle(String id) {
    return id.equals("c") ? 700 : 0;
  }

  /** An attribute class of the application. */
  record Cart(int items) implements java.io.Serializable {}

  @Test
  void aSessionWhoseAttributesNoLongerDecodeIsNoSessionAndItsIdIsNotLogged() {
    String uri = "deploys-" + UUID.randomUUID();
    CacheManager before = Managers.inOwnProvider(uri, clock::millis,
        Map.of("REDIS_URL", REDIS.server().url(), "CACHELAYER_CODEC_ALLOW", "io.github.*"));
    CacheManager after = Managers.inOwnProvider(uri, clock::millis,
        Map.of("REDIS_URL", REDIS.server().url()));
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
    try {
      String id = SessionManager.builder(before).clock(clock).build()
          .create("user_123", Map.of("cart", new Cart(3)));
      SessionManager deployed = SessionManager.builder(after).clock(clock).build();
      System.setErr(new java.io.PrintStream(logged, true));
      assertEquals(java.util.Optional.empty(), deployed.get(id),
          "a class the new deploy cannot read: no session, no exception");
      System.setErr(err);
      String log = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(log.contains("cannot be decoded") && log.contains(id.substring(0, 6) + "…"), log);
      assertTrue(!log.contains(id), "the full session id was logged: " + log);
    } finally {
      System.setErr(err);
      before.close();
      after.close();
    }
  }

  /** The commands the client sent while {@code operation} ran, scripts' own calls excluded. */
  private static List<String> commandsOf(Runnable operation) {
    operation.run(); // loads the script, warms the connection
    try (Monitor monitor = new Monitor(REDIS.server())) {
      monitor.clear();
      operation.run();
      List<String> commands = new ArrayList<>(monitor.commands().stream()
          .filter(line -> !line.contains(" lua]") && !line.contains("\"PING\"")).toList());
      return commands;
    }
  }

  private static void assertOneScriptCall(String name, Runnable operation) {
    List<String> commands = commandsOf(operation);
    System.out.println("MONITOR " + name + ": " + commands);
    assertEquals(1, commands.size(), name + " sent " + commands);
    assertTrue(commands.get(0).contains("\"EVALSHA\""), commands.get(0));
  }

  @Test
  void eachHelperCallIsOneRoundTrip() {
    RateLimiter fixed = RateLimiter.create(redis, "rate",
        RateLimit.fixedWindow(1_000, Duration.ofMinutes(1)), clock);
    RateLimiter bucket = RateLimiter.create(redis, "bucket",
        RateLimit.tokenBucket(1_000, 10, Duration.ofSeconds(1)), clock);
    RateLimiter sliding = RateLimiter.create(redis, "sliding",
        RateLimit.slidingWindow(1_000, Duration.ofMinutes(1)), clock);
    assertOneScriptCall("fixed window tryAcquire", () -> fixed.tryAcquire("user_123:/api"));
    assertOneScriptCall("token bucket tryAcquire", () -> bucket.tryAcquire("user_123:/api"));
    assertOneScriptCall("sliding window tryAcquire", () -> sliding.tryAcquire("user_123:/api"));
    SessionManager sessions = SessionManager.builder(redis).clock(clock).build();
    String id = sessions.create("user_123", Map.of("role", "admin"));
    assertOneScriptCall("session get", () -> sessions.get(id).orElseThrow());
    assertOneScriptCall("session update",
        () -> sessions.update(id, Map.of("last_page", "/dashboard")).orElseThrow());
  }
}
