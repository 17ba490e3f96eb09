package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import org.junit.jupiter.api.Test;

/** The bypass stand-in: it decides on an absent entry and keeps nothing. */
class BypassStoreTest {
  @Test
  void keepsNothing() {
    Store<String, String> store = new BypassStore<>();
    String result = store.compute("k", (current, mutation) -> {
      assertNull(current);
      mutation.write("v", StoredEntry.ETERNAL);
      return "decided";
    });
    assertEquals("decided", result);
    assertNull(store.read("k"));
    assertNull(store.peek("k"));
    assertFalse(store.keys().hasNext());
    assertEquals(0, store.estimatedSize());
  }
}
