package io.github.cachelayer.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundTest {

  /**
   * One cache's settling can wait a whole call bound on a frozen Redis; another's lease renewal,
   * due meanwhile, must not wait behind it (it did on the single shared thread).
   */
  @Test
  void aBlockedTaskDoesNotHoldUpAnother() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    ScheduledFuture<?> stuck = Background.every(() -> {
      blocked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> other = Background.every(runs::incrementAndGet, 0, 10,
        TimeUnit.MILLISECONDS);
    try {
      assertTrue(blocked.await(5, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (runs.get() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(runs.get() >= 5, "the other task ran " + runs.get() + " times meanwhile");
    } finally {
      release.countDown();
      stuck.cancel(false);
      other.cancel(false);
    }
  }

  @Test
  void runsOfOneTaskNeverOverlap() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> task = Background.every(() -> {
      most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      try {
        Thread.sleep(30); // longer than the period: the timer fires while it runs
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      concurrent.decrementAndGet();
      runs.incrementAndGet();
    }, 0, 5, TimeUnit.MILLISECONDS);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (runs.get() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      task.cancel(false);
    }
    assertTrue(runs.get() >= 5, "ran " + runs.get() + " times");
    assertEquals(1, most.get(), "runs at once");
  }
}
