package io.github.cachelayer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Store} contract, as its javadoc states it, run against every store that keeps
 * entries: each subclass says how to make one.
 */
public abstract class StoreContract {
  protected final TestClock clock = new TestClock();
  private final List<Store<String, String>> opened = new ArrayList<>();
  /** Keeps tests apart in a shared server: each test's caches have names of their own. */
  private final String suffix = "-" + java.util.UUID.randomUUID();

  /** A new, empty store for cache {@code cacheName} on this test's clock. */
  protected abstract Store<String, String> newStore(String cacheName);

  private Store<String, String> store(String cacheName) {
    Store<String, String> store = newStore(cacheName + suffix);
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Store::close);
  }

  /** An action from a function; counts its runs and its onCommit calls. */
  static final class Action<R> implements EntryAction<String, R> {
    final BiFunction<StoredEntry<String>, Mutation<String>, R> decide;
    final AtomicInteger commits = new AtomicInteger();
    StoredEntry<String> seen;

    Action(BiFunction<StoredEntry<String>, Mutation<String>, R> decide) {
      this.decide = decide;
    }

    @Override
    public R apply(StoredEntry<String> current, Mutation<String> mutation) {
      seen = current;
      return decide.apply(current, mutation);
    }

    @Override
    public void onCommit() {
      commits.incrementAndGet();
    }
  }

  private static Action<Void> write(String value, long expireAt) {
    return new Action<>((current, mutation) -> {
      mutation.write(value, expireAt);
      return null;
    });
  }

  private long now() {
    return clock.millis();
  }

  @Test
  void aWriteIsReadPeekedListedAndCommittedOnce() {
    Store<String, String> store = store("c");
    Action<Void> put = write("v", StoredEntry.ETERNAL);
    store.compute("k", put);
    assertNull(put.seen, "the action saw no entry");
    assertEquals(1, put.commits.get());
    assertEquals(new StoredEntry<>("v", StoredEntry.ETERNAL), store.read("k"));
    assertEquals(new StoredEntry<>("v", StoredEntry.ETERNAL), store.peek("k"));
    assertEquals(Map.of("k", new StoredEntry<>("v", StoredEntry.ETERNAL)),
        store.readAll(List.of("k", "absent")));
    Set<String> keys = new HashSet<>();
    store.keys().forEachRemaining(keys::add);
    assertEquals(Set.of("k"), keys);
    assertEquals(1, store.estimatedSize());
  }

  @Test
  void theActionSeesTheCurrentEntryAndItsResultIsReturned() {
    Store<String, String> store = store("c");
    store.compute("k", write("v", now() + 60_000));
    String seen = store.compute("k", new Action<>((current, mutation) -> current.value()));
    assertEquals("v", seen);
    assertEquals(now() + 60_000, store.read("k").expireAt());
  }

  @Test
  void keepChangesNothing() {
    Store<String, String> store = store("c");
    Action<String> keep = new Action<>((current, mutation) -> "kept");
    assertEquals("kept", store.compute("k", keep));
    assertNull(store.read("k"));
    assertEquals(1, keep.commits.get());
  }

  @Test
  void removeDeletes() {
    Store<String, String> store = store("c");
    store.compute("k", write("v", StoredEntry.ETERNAL));
    store.compute("k", new Action<>((current, mutation) -> {
      mutation.remove();
      return null;
    }));
    assertNull(store.read("k"));
    assertFalse(store.keys().hasNext());
  }

  @Test
  void touchChangesTheExpiryOnly() {
    Store<String, String> store = store("c");
    store.compute("k", write("v", StoredEntry.ETERNAL));
    long later = now() + 5_000;
    store.compute("k", new Action<>((current, mutation) -> {
      mutation.touch(later);
      return null;
    }));
    assertEquals(new StoredEntry<>("v", later), store.read("k"));
  }

  /**
   * Whether the store hands out expired entries as they are (a shared store: the cache reclaims
   * and reports them), or drops them itself and reports them to its eviction listener.
   */
  protected abstract boolean showsExpiredEntries();

  @Test
  void anExpiredEntryIsNeverPeekedAndReadAsTheStoreReportsExpiry() {
    Store<String, String> store = store("c");
    store.compute("k", write("v", now() + 1_000));
    clock.advance(Duration.ofSeconds(2));
    assertNull(store.peek("k"), "peek: absent when expired");
    StoredEntry<String> read = store.read("k");
    Action<Void> look = new Action<>((current, mutation) -> null);
    store.compute("k", look);
    if (showsExpiredEntries()) {
      assertNotNull(read, "read: the expired entry as it is, to reclaim and report");
      assertTrue(read.isExpired(clock));
      assertNotNull(look.seen, "compute shows the expired entry to the action");
    } else {
      assertNull(read);
      assertNull(look.seen);
    }
  }

  @Test
  void computeAllDecidesEachKeyInOrder() {
    Store<String, String> store = store("c");
    List<Action<String>> actions = new ArrayList<>();
    for (String value : List.of("a", "b", "c")) {
      actions.add(new Action<>((current, mutation) -> {
        mutation.write(value, StoredEntry.ETERNAL);
        return value;
      }));
    }
    assertEquals(List.of("a", "b", "c"), store.computeAll(List.of("ka", "kb", "kc"), actions));
    assertEquals("b", store.read("kb").value());
    actions.forEach(action -> assertEquals(1, action.commits.get()));
  }

  @Test
  void clearEmptiesThisStoreAndNoOther() {
    Store<String, String> first = store("first");
    Store<String, String> second = store("second");
    first.compute("k", write("1", StoredEntry.ETERNAL));
    second.compute("k", write("2", StoredEntry.ETERNAL));
    first.clear();
    assertNull(first.read("k"));
    assertEquals("2", second.read("k").value());
  }
}
