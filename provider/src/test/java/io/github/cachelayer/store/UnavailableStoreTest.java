package io.github.cachelayer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The stand-in while Redis is away: it decides on nothing and keeps nothing. */
class UnavailableStoreTest {
  @Test
  void keepsNothing() {
    Store<String, String> store = new UnavailableStore<>();
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
