package io.github.cachelayer.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition, not on a clock: as long as it takes, up to a generous bound. */
public final class Conditions {
  private Conditions() {}

  public static void await(String what, BooleanSupplier condition) {
    await(what, condition, Duration.ofSeconds(20));
  }

  public static void await(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
