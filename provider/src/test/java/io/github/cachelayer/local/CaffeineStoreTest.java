package io.github.cachelayer.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CaffeineStoreTest {
  private final CaffeineStore<String, String> store =
      CaffeineStore.create(Clock.SYSTEM, -1, -1, null, null, true);
  private final long later = System.currentTimeMillis() + 60_000;

  private void write(String value) {
    store.compute("k", (current, mutation) -> {
      mutation.write(value, later);
      return null;
    });
  }

  /**
   * A plain read that moves the expiry to {@code later + 1 s}, counting its runs; before its
   * first decision it lets {@code meanwhile} run, as another thread would.
   */
  private EntryAction<String, String> touchingRead(AtomicInteger runs, Runnable meanwhile) {
    return new EntryAction<>() {
      @Override
      public String apply(StoredEntry<String> current, Mutation<String> mutation) {
        if (runs.incrementAndGet() == 1) {
          meanwhile.run();
        }
        mutation.touch(later + 1_000);
        return current.value();
      }

      @Override
      public boolean isPlainRead() {
        return true;
      }
    };
  }

  /**
   * A plain read decides without the lock; a write landing between its read and its touch must
   * send it to decide again, on the entry the write left, and must survive the touch.
   */
  @Test
  void aTouchThatRacesAWriteDecidesAgainAndKeepsTheWrite() {
    write("v0");
    AtomicInteger runs = new AtomicInteger();
    assertEquals("v1", store.compute("k", touchingRead(runs, () -> write("v1"))));
    assertEquals(2, runs.get());
    assertEquals(new StoredEntry<>("v1", later + 1_000), store.read("k"));
  }

  @Test
  void aPlainReadWithoutARaceDecidesOnce() {
    write("v0");
    AtomicInteger runs = new AtomicInteger();
    assertEquals("v0", store.compute("k", touchingRead(runs, () -> { })));
    assertEquals(1, runs.get());
    assertEquals(later + 1_000, store.read("k").expireAt());
  }
}
