package io.github.cachelayer.cache;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The loadAll tasks of a cache, run on its executor; close() waits for those still running. */
final class BackgroundLoads {
  private final Executor executor;
  private final Set<CompletableFuture<Void>> running = ConcurrentHashMap.newKeySet();

  BackgroundLoads(Executor executor) {
    this.executor = executor;
  }

  void run(Runnable task) {
    CompletableFuture<Void> load = new CompletableFuture<>();
    running.add(load);
    load.whenComplete((result, error) -> running.remove(load));
    executor.execute(() -> {
      try {
        task.run();
      } finally {
        load.complete(null);
      }
    });
  }

  /** Waits up to {@code seconds} for the running tasks; one still running then is left. */
  void await(long seconds) {
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
          .get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // A task reports its own failure to its listener.
    }
  }
}
