package io.github.cachelayer.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.ratelimit.Decision;
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
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.configuration.FactoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The helpers' scripts ({@code ratelimit.lua}, {@code session.lua}) against the Java processors
 * they port: the same random requests through a fallback cache (the processor in Java) and a
 * Redis cache (the script) on one clock must answer alike and leave equal states; and each call
 * is one command on the wire.
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

  @ParameterizedTest
  @EnumSource(RateLimit.Algorithm.class)
  void theRateLimitScriptDecidesAsJava(RateLimit.Algorithm algorithm) {
    RateLimit rule = switch (algorithm) {
      case FIXED_WINDOW -> RateLimit.fixedWindow(7, Duration.ofSeconds(2));
      case SLIDING_WINDOW -> RateLimit.slidingWindow(9, Duration.ofMillis(1_999), 7);
      case TOKEN_BUCKET -> RateLimit.tokenBucket(8, 3, Duration.ofMillis(700));
    };
    RateLimiter java = RateLimiter.create(local, "rate", rule, clock);
    RateLimiter script = RateLimiter.create(redis, "rate", rule, clock);
    Random random = new Random(algorithm.ordinal());
    int granted = 0;
    int denied = 0;
    for (int i = 0; i < 1_500; i++) {
      int step = random.nextInt(10);
      clock.advance(Duration.ofMillis(step < 6 ? random.nextInt(40)
          : step < 9 ? random.nextInt(900) : 5_000));
      String key = "k" + random.nextInt(3);
      long permits = 1 + random.nextInt((int) Math.min(rule.limit(), 4));
      Decision expected = java.tryAcquire(key, permits);
      Decision actual = script.tryAcquire(key, permits);
      assertEquals(expected, actual, "request " + i + " at " + clock.millis());
      String cacheKey = rule.cacheKey(key, clock.millis());
      assertEquals(java.cache().get(cacheKey), script.cache().get(cacheKey),
          "state after request " + i);
      if (actual.allowed()) {
        granted++;
      } else {
        denied++;
      }
    }
    assertTrue(granted > 100 && denied > 100, granted + " granted, " + denied + " denied");
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
    for (String id : List.of("a", "b")) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("role", "admin");
      data.put("n", 1);
      Session session = Session.of(id, "user-" + id, start, start, start + 6_000, data);
      java.put(id, session);
      script.put(id, session);
    }
    for (int i = 0; i < 400; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(10) == 0 ? 2_500 : random.nextInt(300)));
      String id = random.nextBoolean() ? "a" : "b";
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
            clock.millis() + 6_000, Map.of("n", i));
        java.put(id, fresh);
        script.put(id, fresh);
      }
    }
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
