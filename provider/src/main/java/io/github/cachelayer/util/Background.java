package io.github.cachelayer.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Periodic work of the Redis stores (lease renewals, retries of settling). One daemon thread
 * keeps the time; each run happens on a worker thread, so a task waiting on a Redis that does
 * not answer (up to a call's whole bound) holds up only itself, not another cache's or another
 * manager's lease renewal.
 */
public final class Background {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(daemon("cachelayer-redis-timer"));
  private static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(daemon("cachelayer-redis-background"));

  private Background() {}

  /**
   * Runs {@code task} every {@code period} after {@code initialDelay}, on a worker thread; a
   * run still under way when the next is due makes that one skip, so runs never overlap.
   * Cancelling the returned future stops the runs that have not started.
   */
  public static ScheduledFuture<?> every(Runnable task, long initialDelay, long period,
      TimeUnit unit) {
    AtomicBoolean running = new AtomicBoolean();
    return TIMER.scheduleWithFixedDelay(() -> {
      if (!running.compareAndSet(false, true)) {
        return;
      }
      try {
        WORKERS.execute(() -> {
          try {
            task.run();
          } finally {
            running.set(false);
          }
        });
      } catch (RejectedExecutionException e) {
        running.set(false);
      }
    }, initialDelay, period, unit);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
