package io.github.cachelayer.testing;

import java.util.concurrent.TimeUnit;

/** Stopping the processes tests start. */
public final class Processes {
  private Processes() {}

  /** Asks the process to stop, then kills it if it has not within 10 s; waits either way. */
  public static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
