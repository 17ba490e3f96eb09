package io.github.cachelayer.redis.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Slots as Redis computes them (CLUSTER KEYSLOT), hash tags included. */
class KeySlotTest {
  @Test
  void slotsAreRedisClusters() {
    assertEquals(12182, KeySlot.of("foo"));
    assertEquals(5061, KeySlot.of("bar"));
    assertEquals(KeySlot.of("user1000"), KeySlot.of("{user1000}.following"));
    assertEquals(KeySlot.of("user1000"), KeySlot.of("x{user1000}y{z}"));
    assertEquals(3443, KeySlot.of("x{user1000}y{z}"));
    // An empty tag is no tag: the whole key is hashed (redis-server 7.0 says 8363).
    assertEquals(8363, KeySlot.of("foo{}{bar}"));
  }
}
