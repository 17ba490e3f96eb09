package io.github.cachelayer.util;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The one daemon thread the Redis stores use for periodic work (lease renewals, retries). */
public final class Background {
  public static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cachelayer-redis-background");
        thread.setDaemon(true);
        return thread;
      });

  private Background() {}
}
