package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which acknowledged writes a failure puts at risk: those sent before it was noticed. */
class RecentWritesTest {
  private final RecentWrites recent = new RecentWrites(TimeUnit.SECONDS.toNanos(10));
  private final UnsettledKeys unsettled = new UnsettledKeys(null, "c", () -> {});

  @AfterEach
  void stopRetrying() {
    unsettled.close();
  }

  @Test
  void aWriteSentAfterTheFailureWasNoticedIsNotSettledByIt() {
    recent.add("before");
    long noticed = System.nanoTime();
    recent.add("after");
    // The thread that met the failure sweeps only now, after the second write.
    recent.settleAfterFailure(unsettled, noticed);
    assertEquals(Set.of("before"), unsettled.pending());
  }

  @Test
  void aLaterFailureSettlesWhatAnEarlierOneLeftOutEvenWithNoNewWrite() {
    long first = System.nanoTime();
    recent.add("after-first");
    recent.settleAfterFailure(unsettled, first);
    assertTrue(unsettled.pending().isEmpty());
    recent.settleAfterFailure(unsettled, System.nanoTime());
    assertEquals(Set.of("after-first"), unsettled.pending());
  }

  @Test
  void writesOlderThanTheWindowAreNotSettled() {
    RecentWrites shortWindow = new RecentWrites(TimeUnit.MILLISECONDS.toNanos(1));
    shortWindow.add("old");
    shortWindow.settleAfterFailure(unsettled, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    assertTrue(unsettled.pending().isEmpty());
  }
}
