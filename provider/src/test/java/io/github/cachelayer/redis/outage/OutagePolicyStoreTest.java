package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.config.OutagePolicy;
import io.github.cachelayer.local.LocalBackend;
import io.github.cachelayer.management.OutageStatus;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.ForwardingStore;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.testing.TestClock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outage policy on its own, over a store that fails when told to (no Redis, no sleeps): what
 * each policy answers, when the outage ends, what the node-local store keeps, and what it reports.
 */
class OutagePolicyStoreTest {
  private final TestClock clock = new TestClock();
  private final Flaky redis = new Flaky(LocalBackend.localStore(clock,
      new CacheLayerConfiguration<String, String>(), (key, entry, expired) -> { }, false));
  private final AtomicInteger localStoresMade = new AtomicInteger();

  private OutagePolicyStore<String, String> policy(OutagePolicy policy) {
    return new OutagePolicyStore<>("c", policy, redis, () -> {
      localStoresMade.incrementAndGet();
      return LocalBackend.localStore(clock, new CacheLayerConfiguration<String, String>(),
          (key, entry, expired) -> { }, false);
    });
  }

  private static EntryAction<String, Boolean> write(String value) {
    return (current, mutation) -> {
      mutation.write(value, StoredEntry.ETERNAL);
      return current == null;
    };
  }

  @Test
  void failLetsTheFailureThroughAndCountsIt() {
    OutagePolicyStore<String, String> store = policy(OutagePolicy.FAIL);
    redis.failing = true;
    RedisUnavailableException thrown =
        assertThrows(RedisUnavailableException.class, () -> store.peek("k"));
    assertSame(redis.failure, thrown);
    assertEquals(new OutageStatus(OutagePolicy.FAIL, false, 1, 0), store.status().outage(),
        "fail answers nothing itself, so it never enters an outage");
  }

  @Test
  void bypassMissesAndSkipsWritesUntilRedisAnswersAgain() {
    OutagePolicyStore<String, String> store = policy(OutagePolicy.BYPASS);
    store.compute("k", write("before"));
    redis.failing = true;
    assertNull(store.peek("k"), "a read misses while Redis is away");
    assertTrue(store.compute("k", write("during")), "the decision sees no entry");
    assertEquals(new OutageStatus(OutagePolicy.BYPASS, true, 2, 2), store.status().outage());

    redis.failing = false;
    assertEquals("before", store.peek("k").value(), "the skipped write reached nothing");
    assertFalse(store.status().outage().inOutage(), "the first call Redis serves ends it");
    assertEquals(0, localStoresMade.get());
  }

  @Test
  void localServesThisNodesStoreAndDropsItWhenRedisAnswers() {
    OutagePolicyStore<String, String> store = policy(OutagePolicy.LOCAL);
    redis.failing = true;
    store.compute("k", write("during"));
    assertEquals("during", store.peek("k").value(), "the node-local store serves the outage");
    assertEquals(1, localStoresMade.get());

    redis.failing = false;
    assertNull(store.peek("k"), "what the node kept was its alone: Redis never had it");
    redis.failing = true;
    assertNull(store.peek("k"), "a new outage starts from an empty local store");
    assertEquals(2, localStoresMade.get());
    assertEquals(new OutageStatus(OutagePolicy.LOCAL, true, 3, 3), store.status().outage());
  }

  @Test
  void itsStatusIsAddedToWhatTheStoreBelowReports() {
    OutagePolicyStore<String, String> store = policy(OutagePolicy.BYPASS);
    assertNull(store.status().nearCache(), "no near cache below");
    assertEquals(OutagePolicy.BYPASS, store.status().outage().policy());
  }

  /** The store below the policy: Redis, as far as the policy can tell. */
  private static final class Flaky extends ForwardingStore<String, String> {
    final RedisUnavailableException failure =
        new RedisUnavailableException("Cache 'c': Redis did not answer", null);
    volatile boolean failing;
    private final Store<String, String> data;

    Flaky(Store<String, String> data) {
      this.data = data;
    }

    @Override
    public Store<String, String> wrapped() {
      return data;
    }

    @Override
    protected Store<String, String> delegate() {
      if (failing) {
        throw failure;
      }
      return data;
    }
  }
}
