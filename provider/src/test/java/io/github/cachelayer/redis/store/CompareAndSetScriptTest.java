package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code compare-and-set.lua} called with crafted arguments: a write applies only on the bytes
 * the client read, and a writer that claimed the entry after losing is let through first.
 */
class CompareAndSetScriptTest {
  private static final String KEY = "ns:c:k";
  private static final String CLAIM = "{ns:c:k}~claim";
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  @SuppressWarnings("unchecked")
  private static List<Object> compareAndSet(String expected, String next, String token) {
    List<String> command = new ArrayList<>(List.of("EVAL", LuaScript.COMPARE_AND_SET.source(),
        "2", KEY, CLAIM, expected, next, "0", "", "", token, "250"));
    return (List<Object>) redis.call(command.toArray(String[]::new));
  }

  @Test
  void writesOnlyOnTheBytesTheClientRead() {
    assertEquals(List.of(1L), compareAndSet("", "one", ""));
    assertEquals(List.of(0L, "one"), compareAndSet("", "two", ""), "answers what it holds");
    assertEquals("one", redis.call("GET", KEY));
    assertEquals(List.of(1L), compareAndSet("one", "", ""), "'' deletes");
    assertNull(redis.call("GET", KEY));
    assertNull(redis.call("GET", CLAIM), "no claim without a token");
  }

  @Test
  void aLoserWithATokenClaimsAndEveryOtherWriterYieldsUntilItHasWritten() {
    redis.call("SET", KEY, "current");
    assertEquals(List.of(0L, "current", 1L), compareAndSet("stale", "mine", "A"));
    assertEquals("A", redis.call("GET", CLAIM));
    long ttl = (Long) redis.call("PTTL", CLAIM);
    assertTrue(ttl > 0 && ttl <= 250, "a claim lapses by itself: " + ttl);

    assertEquals(List.of(0L, "current", 0L), compareAndSet("current", "theirs", ""),
        "another writer, even on the right bytes, yields");
    assertEquals(List.of(0L, "current", 0L), compareAndSet("current", "theirs", "B"),
        "and makes no claim of its own");
    assertEquals("current", redis.call("GET", KEY));

    assertEquals(List.of(1L), compareAndSet("current", "mine", "A"));
    assertEquals("mine", redis.call("GET", KEY));
    assertNull(redis.call("GET", CLAIM), "the holder's write ends its claim");
    assertEquals(List.of(1L), compareAndSet("mine", "theirs", ""));
  }

  @Test
  void theHolderRenewsItsClaimOnEachConflict() throws Exception {
    redis.call("SET", KEY, "v1");
    compareAndSet("v0", "mine", "A");
    Thread.sleep(150);
    redis.call("SET", KEY, "v2"); // a blind write, which claims do not hold back
    assertEquals(List.of(0L, "v2", 1L), compareAndSet("v1", "mine", "A"));
    assertTrue((Long) redis.call("PTTL", CLAIM) > 150, "renewed to the full claim time");
  }

  @Test
  void aLapsedClaimHoldsNobodyBack() throws Exception {
    redis.call("SET", KEY, "v1");
    compareAndSet("v0", "mine", "A");
    Thread.sleep(300);
    assertEquals(List.of(1L), compareAndSet("v1", "theirs", ""));
  }
}
