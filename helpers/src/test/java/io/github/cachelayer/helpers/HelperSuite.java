package io.github.cachelayer.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.ratelimit.Decision;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.session.Session;
import io.github.cachelayer.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session manager and the rate limiter on one JCache provider. Every provider runs the same
 * suite: CacheLayer in fallback mode and in Redis mode (provider module), Caffeine's JCache
 * (helpers-on-caffeine module).
 *
 * <p>Rate limits decide on a manual clock of their own (expiry of their states aside); sessions
 * decide on {@link #cacheClock()}, the clock the cache expires entries by, which a provider with
 * a controllable clock moves at once and any other by sleeping ({@link #elapse}).
 */
public abstract class HelperSuite {
  /** A minute boundary plus nothing: window arithmetic below counts from here. */
  protected static final long START = 1_700_000_040_000L;
  private static final Duration IDLE = Duration.ofMillis(1_000);
  private static final Duration LIFETIME = Duration.ofMillis(2_500);

  protected CacheManager manager;
  /** The cache's clock, for a provider whose clock a test controls (the default). */
  protected final MutableClock controllableClock = new MutableClock(START);

  /** A new manager whose caches no earlier test used. */
  protected abstract CacheManager openManager();

  /**
   * Whether a limiter decides on the clock it is given, as the helpers do by themselves. A store
   * with a clock of its own that every JVM shares (CacheLayer's Redis store decides on Redis's
   * {@code TIME}, so that JVMs whose clocks disagree share a limit exactly) decides on that
   * instead, and the tests that move a limiter's clock by hand do not apply to it; its decisions
   * are held to {@code RateLimit.decide} at chosen times by its own tests.
   */
  protected boolean limitsDecideOnTheLimitersClock() {
    return true;
  }

  private void assumeLimitsFollowTheLimitersClock() {
    org.junit.jupiter.api.Assumptions.assumeTrue(limitsDecideOnTheLimitersClock(),
        "this store decides limits on its own shared clock, not the limiter's");
  }

  /** The clock the cache expires entries by: {@link #controllableClock} unless overridden. */
  protected Clock cacheClock() {
    return controllableClock;
  }

  /** Moves {@link #cacheClock()} forward by {@code duration}; override to sleep on real time. */
  protected void elapse(Duration duration) {
    controllableClock.advance(duration);
  }

  /** The suite for a provider whose expiry runs on real time: time passes by sleeping. */
  public abstract static class OnRealTime extends HelperSuite {
    @Override
    protected Clock cacheClock() {
      return Clock.systemUTC();
    }

    @Override
    protected void elapse(Duration duration) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @BeforeEach
  void open() {
    manager = openManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private SessionManager sessions() {
    return SessionManager.builder(manager).clock(cacheClock()).build();
  }

  private SessionManager shortSessions(int maxPerUser) {
    return SessionManager.builder(manager).clock(cacheClock()).idleTimeout(IDLE)
        .maxLifetime(LIFETIME).maxSessionsPerUser(maxPerUser).build();
  }

  // ------------------------------------------------------------------ sessions

  @Test
  void aSessionIsCreatedReadAndExtended() {
    SessionManager sessions = sessions();
    String id = sessions.create("user_123", Map.of("role", "admin"));
    Session created = sessions.get(id).orElseThrow();
    assertEquals("user_123", created.userId());
    assertEquals(Map.of("role", "admin"), created.attributes());
    elapse(Duration.ofMillis(50));
    Session read = sessions.get(id).orElseThrow();
    assertTrue(read.lastAccessedAt().isAfter(created.createdAt()),
        "a read moves the last access: " + read);
    assertEquals(created.createdAt(), read.createdAt());
  }

  @Test
  void aSessionSlidesWhileUsedAndEndsWhenIdle() {
    SessionManager sessions = shortSessions(0);
    String id = sessions.create("u", Map.of());
    for (int i = 0; i < 3; i++) {
      elapse(IDLE.multipliedBy(6).dividedBy(10));
      assertTrue(sessions.get(id).isPresent(), "read " + i + " within the idle timeout");
    }
    elapse(IDLE.multipliedBy(13).dividedBy(10));
    assertEquals(Optional.empty(), sessions.get(id));
  }

  @Test
  void anActiveSessionEndsAtItsMaximumLifetime() {
    SessionManager sessions = shortSessions(0);
    String id = sessions.create("u", Map.of("k", 1));
    Session first = sessions.get(id).orElseThrow();
    assertEquals(LIFETIME.toMillis(), first.expiresAtMillis() - first.createdAtMillis());
    long deadline = first.expiresAtMillis();
    // Each read lands at least 300 ms before the deadline, so a sleep that overshoots on real
    // time cannot carry a read past the lifetime (one did: 1 ms of margin was too little).
    while (cacheClock().millis() + 400 + 300 < deadline) {
      elapse(Duration.ofMillis(400));
      assertTrue(sessions.get(id).isPresent(), "active and within its lifetime");
    }
    elapse(Duration.ofMillis(deadline - cacheClock().millis() + 1));
    assertEquals(Optional.empty(), sessions.get(id), "past its absolute lifetime");
    assertEquals(Optional.empty(), sessions.update(id, Map.of("k", 2)));
  }

  @Test
  void anUpdateMergesRemovesAndKeepsOrder() {
    SessionManager sessions = sessions();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("a", 1);
    data.put("b", "two");
    data.put("c", List.of(3));
    String id = sessions.create("u", data);
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("b", "deux");
    changes.put("a", null);
    changes.put("d", 4L);
    Session updated = sessions.update(id, changes).orElseThrow();
    assertEquals(List.of("b", "c", "d"), new ArrayList<>(updated.attributes().keySet()));
    assertEquals("deux", updated.attribute("b"));
    assertEquals(updated.attributes(), sessions.get(id).orElseThrow().attributes());
    assertEquals(Optional.empty(), sessions.update("x".repeat(32), Map.of("a", 1)));
  }

  @Test
  void concurrentUpdatesLoseNoChange() throws Exception {
    SessionManager sessions = sessions();
    String id = sessions.create("u", Map.of());
    int threads = 8;
    int rounds = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String attribute = "t" + t;
        done.add(pool.submit(() -> {
          for (int r = 1; r <= rounds; r++) {
            sessions.update(id, Map.of(attribute, r)).orElseThrow();
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Session session = sessions.get(id).orElseThrow();
    for (int t = 0; t < threads; t++) {
      assertEquals(rounds, session.attribute("t" + t), "attribute t" + t + " in " + session);
    }
  }

  @Test
  void deleteEndsASession() {
    SessionManager sessions = sessions();
    String id = sessions.create("u", Map.of());
    assertTrue(sessions.delete(id));
    assertEquals(Optional.empty(), sessions.get(id));
    assertFalse(sessions.delete(id));
    assertEquals(List.of(), sessions.sessionsOf("u"));
  }

  @Test
  void aRegeneratedIdKeepsTheSessionAndLeavesNoReadableOldId() {
    SessionManager sessions = sessions();
    String old = sessions.create("u", Map.of("cart", "3 items"));
    Session before = sessions.get(old).orElseThrow();
    String renewed = sessions.regenerateId(old).orElseThrow();
    assertNotEquals(old, renewed);
    assertEquals(Optional.empty(), sessions.get(old));
    assertFalse(sessions.sessionCache().containsKey(old), "no entry under the old id");
    Session after = sessions.get(renewed).orElseThrow();
    assertEquals("3 items", after.attribute("cart"));
    assertEquals(before.createdAt(), after.createdAt());
    assertEquals(before.expiresAt(), after.expiresAt());
    assertEquals(List.of(renewed), sessions.sessionsOf("u").stream().map(Session::id).toList());
    assertEquals(Optional.empty(), sessions.regenerateId(old));
  }

  @Test
  void aSessionNamedBeforeItIsStoredStartsWithoutAUserAndIsAssignedOneLater() {
    SessionManager sessions = sessions();
    String id = SessionManager.newId();
    assertTrue(sessions.create(id, null, Map.of("theme", "dark")));
    assertFalse(sessions.create(id, null, Map.of()), "an id is taken once");
    assertEquals("", sessions.get(id).orElseThrow().userId());

    Session signedIn = sessions.assignUser(id, "alice").orElseThrow();
    assertEquals("alice", signedIn.userId());
    assertEquals("dark", signedIn.attribute("theme"));
    assertEquals(List.of(id), sessions.sessionsOf("alice").stream().map(Session::id).toList());

    String renewed = SessionManager.newId();
    assertEquals(renewed, sessions.regenerateId(id, renewed).orElseThrow().id());
    assertEquals(Optional.empty(), sessions.get(id));
    assertEquals(List.of(renewed),
        sessions.sessionsOf("alice").stream().map(Session::id).toList());

    assertEquals("bob", sessions.assignUser(renewed, "bob").orElseThrow().userId());
    assertEquals(List.of(), sessions.sessionsOf("alice"), "moved out of alice's index");
    assertEquals(List.of(renewed), sessions.sessionsOf("bob").stream().map(Session::id).toList());
    assertEquals("", sessions.assignUser(renewed, null).orElseThrow().userId());
    assertEquals(List.of(), sessions.sessionsOf("bob"));
    assertTrue(sessions.delete(renewed));
    assertEquals(Optional.empty(), sessions.assignUser(renewed, "carol"));
    assertEquals(List.of(), sessions.sessionsOf("carol"));
    assertThrows(IllegalArgumentException.class, () -> sessions.create("short", null, Map.of()));
  }

  @Test
  void aSessionWithAnIdleTimeoutOfItsOwnEndsWhenIdleThatLong() {
    SessionManager sessions = shortSessions(0);
    Duration own = IDLE.dividedBy(4);
    String id = SessionManager.newId();
    assertTrue(sessions.create(id, "dana", own, Map.of()));
    assertEquals(own.toMillis(), sessions.get(id).orElseThrow().maxIdleMillis());
    elapse(own.dividedBy(2));
    assertTrue(sessions.update(id, Map.of("k", "v")).isPresent(), "used within its own timeout");
    elapse(own.dividedBy(2));
    assertTrue(sessions.get(id).isPresent(), "a use restarts its own timeout too");
    elapse(own.plusMillis(50));
    assertEquals(Optional.empty(), sessions.get(id), "idle past its own timeout");
    assertEquals(List.of(), sessions.sessionsOf("dana"));

    String other = sessions.create("erin", Map.of());
    assertEquals(0, sessions.setMaxIdle(other, own).orElseThrow().maxIdleMillis() - own.toMillis());
    elapse(own.plusMillis(50));
    assertEquals(Optional.empty(), sessions.get(other));
    assertThrows(IllegalArgumentException.class,
        () -> sessions.setMaxIdle(other, Duration.ZERO));
  }

  @Test
  void aUsersSessionsAreListedAndEndedTogether() {
    SessionManager sessions = sessions();
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      mine.add(sessions.create("alice", Map.of("n", i)));
      elapse(Duration.ofMillis(5));
    }
    String bobs = sessions.create("bob", Map.of());
    assertEquals(mine, sessions.sessionsOf("alice").stream().map(Session::id).toList());
    assertEquals(3, sessions.deleteAllFor("alice"));
    for (String id : mine) {
      assertEquals(Optional.empty(), sessions.get(id));
    }
    assertEquals(List.of(), sessions.sessionsOf("alice"));
    assertTrue(sessions.get(bobs).isPresent());
    assertEquals(0, sessions.deleteAllFor("alice"));
  }

  @Test
  void overTheMaximumPerUserTheOldestSessionEnds() {
    SessionManager sessions = SessionManager.builder(manager).clock(cacheClock())
        .maxSessionsPerUser(2).build();
    String first = sessions.create("u", Map.of());
    elapse(Duration.ofMillis(5));
    String second = sessions.create("u", Map.of());
    elapse(Duration.ofMillis(5));
    String third = sessions.create("u", Map.of());
    assertEquals(Optional.empty(), sessions.get(first));
    assertTrue(sessions.get(second).isPresent());
    assertTrue(sessions.get(third).isPresent());
    assertEquals(List.of(second, third),
        sessions.sessionsOf("u").stream().map(Session::id).toList());
  }

  @Test
  void theIndexForgetsEndedSessions() {
    SessionManager sessions = shortSessions(0);
    sessions.create("u", Map.of());
    sessions.create("u", Map.of());
    elapse(IDLE.plusMillis(300));
    assertEquals(List.of(), sessions.sessionsOf("u"));
    assertFalse(manager.getCache("session-index").containsKey("u"),
        "an index whose sessions all ended is removed");
  }

  @Test
  void idsAreLongRandomUrlSafeAndNeverShownInFull() {
    SessionManager sessions = sessions();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String id = sessions.create("u" + i, Map.of());
      assertTrue(id.matches("[A-Za-z0-9_-]{32}"), id);
      ids.add(id);
      assertFalse(sessions.get(id).orElseThrow().toString().contains(id));
    }
    assertEquals(50, ids.size());
    assertEquals(Optional.empty(), sessions.get("not a session id"));
    assertEquals(Optional.empty(), sessions.get(null));
    assertFalse(sessions.delete("../../etc/passwd"));
  }

  @Test
  void badSessionInputIsRefusedByName() {
    SessionManager sessions = sessions();
    assertThrows(NullPointerException.class, () -> sessions.create(null, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> sessions.create("", Map.of()));
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("role", null);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> sessions.create("u", withNull));
    assertTrue(e.getMessage().contains("role"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SessionManager.builder(manager)
        .idleTimeout(Duration.ofHours(2)).maxLifetime(Duration.ofHours(1)).build());
  }

  // -------------------------------------------------------------- rate limits

  @Test
  void aFixedWindowCountsPerWindowAsTheOriginalDid() {
    assumeLimitsFollowTheLimitersClock();
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = RateLimiter.create(manager, "rate",
        RateLimit.fixedWindow(5, Duration.ofMinutes(1)), clock);
    clock.advance(Duration.ofSeconds(15));
    for (int i = 4; i >= 0; i--) {
      Decision decision = limiter.tryAcquire("user_123:/api/search");
      assertTrue(decision.allowed());
      assertEquals(i, decision.remaining());
    }
    Decision denied = limiter.tryAcquire("user_123:/api/search");
    assertFalse(denied.allowed());
    assertEquals(Duration.ofSeconds(45), denied.retryAfter());
    assertEquals(45, denied.retryAfterSeconds());
    assertTrue(limiter.tryAcquire("user_456:/api/search").allowed(), "another key");
    assertTrue(limiter.cache().containsKey("user_123:/api/search"), "one key per user");
    assertEquals(START / 60_000, limiter.cache().get("user_123:/api/search").get(0),
        "the state holds its window, as rate:{user}:{endpoint}:{window} named it");
    clock.advance(Duration.ofSeconds(45));
    assertTrue(limiter.tryAcquire("user_123:/api/search").allowed(), "the next window");
  }

  @Test
  void aSlidingWindowNeverGrantsMoreThanTheLimitInAnyWindow() {
    assumeLimitsFollowTheLimitersClock();
    MutableClock clock = new MutableClock(START);
    Duration window = Duration.ofSeconds(10);
    RateLimiter limiter = RateLimiter.create(manager, "sliding",
        RateLimit.slidingWindow(20, window), clock);
    Random random = new Random(7);
    List<long[]> grants = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(300)));
      long permits = 1 + random.nextInt(3);
      Decision decision = limiter.tryAcquire("k", permits);
      if (decision.allowed()) {
        grants.add(new long[] {clock.millis(), permits});
      } else {
        assertTrue(decision.retryAfter().toMillis() > 0);
        assertTrue(decision.retryAfter().compareTo(window.plusSeconds(1)) <= 0);
      }
    }
    for (long[] grant : grants) {
      long inWindow = grants.stream()
          .filter(g -> g[0] > grant[0] - window.toMillis() && g[0] <= grant[0])
          .mapToLong(g -> g[1]).sum();
      assertTrue(inWindow <= 20, inWindow + " granted in the window ending " + grant[0]);
    }
    // About 60 s of requests at 20 per 10 s: near 120 granted, a slot's worth early at most.
    long total = grants.stream().mapToLong(g -> g[1]).sum();
    assertTrue(total >= 90, total + " granted: as many as the limit allows");
  }

  @Test
  void aSlidingWindowDeniesUntilTheOldestSlotLeaves() {
    assumeLimitsFollowTheLimitersClock();
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = RateLimiter.create(manager, "sliding",
        RateLimit.slidingWindow(5, Duration.ofSeconds(10)), clock);
    assertTrue(limiter.tryAcquire("k", 5).allowed());
    clock.advance(Duration.ofSeconds(5));
    Decision denied = limiter.tryAcquire("k");
    assertFalse(denied.allowed());
    assertEquals(0, denied.remaining());
    clock.advance(denied.retryAfter().minusMillis(1));
    assertFalse(limiter.tryAcquire("k").allowed(), "one millisecond early");
    clock.advance(Duration.ofMillis(1));
    assertTrue(limiter.tryAcquire("k").allowed(), "when it said");
  }

  @Test
  void aTokenBucketBurstsThenRefillsAtItsRate() {
    assumeLimitsFollowTheLimitersClock();
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = RateLimiter.create(manager, "bucket",
        RateLimit.tokenBucket(10, 1, Duration.ofSeconds(1)), clock);
    for (int i = 9; i >= 0; i--) {
      assertEquals(i, limiter.tryAcquire("k").remaining());
    }
    Decision denied = limiter.tryAcquire("k");
    assertFalse(denied.allowed());
    assertEquals(Duration.ofSeconds(1), denied.retryAfter());
    clock.advance(Duration.ofMillis(2_500));
    assertTrue(limiter.tryAcquire("k").allowed());
    assertTrue(limiter.tryAcquire("k").allowed());
    Decision again = limiter.tryAcquire("k");
    assertFalse(again.allowed());
    assertEquals(Duration.ofMillis(500), again.retryAfter());
    assertFalse(limiter.tryAcquire("k", 3).allowed());
    clock.advance(Duration.ofMinutes(5));
    assertEquals(0, limiter.tryAcquire("k", 10).remaining(), "full again, never above");
  }

  @Test
  void concurrentRequestsAreCountedExactly() throws Exception {
    MutableClock clock = new MutableClock(START);
    // A store that decides on its own clock (CacheLayer's Redis: Redis's time) counts in windows
    // of real time: one that ended during the test would rightly admit 300 more. A window of a
    // hundred years does not end during a test.
    RateLimiter limiter = RateLimiter.create(manager, "rate",
        RateLimit.fixedWindow(300, Duration.ofDays(36_500)), clock);
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            if (limiter.tryAcquire("hot").allowed()) {
              admitted.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(300, admitted.get());
    assertEquals(0, limiter.tryAcquire("hot", 1).remaining());
  }

  @Test
  void statesExpireOnTheirOwn() {
    // A store that decides on its own clock expires states on it too: only real time moves it.
    org.junit.jupiter.api.Assumptions.assumeTrue(limitsDecideOnTheLimitersClock()
        || !(cacheClock() instanceof MutableClock), "the store expires states on its own clock");
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = RateLimiter.create(manager, "short",
        RateLimit.tokenBucket(2, 2, Duration.ofMillis(400)), clock);
    limiter.tryAcquire("k");
    assertTrue(limiter.cache().containsKey("k"));
    elapse(Duration.ofMillis(600));
    assertFalse(limiter.cache().containsKey("k"), "the state of a full bucket is gone");
  }

  @Test
  void badRateLimitInputIsRefusedByName() {
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = RateLimiter.create(manager, "rate",
        RateLimit.fixedWindow(5, Duration.ofMinutes(1)), clock);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> limiter.tryAcquire("k", 6));
    assertTrue(e.getMessage().contains("permits"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire("k", 0));
    assertThrows(NullPointerException.class, () -> limiter.tryAcquire(null));
    assertThrows(IllegalArgumentException.class,
        () -> RateLimit.fixedWindow(0, Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class,
        () -> RateLimit.tokenBucket(10, 1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> RateLimit.tokenBucket(Long.MAX_VALUE / 2, 1, Duration.ofDays(1)));
  }
}
