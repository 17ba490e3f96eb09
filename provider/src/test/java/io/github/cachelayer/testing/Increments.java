package io.github.cachelayer.testing;

import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;

/** Concurrent read-modify-write through invoke: lost updates show as a short count. */
public final class Increments {
  private Increments() {}

  /** {@code threadsPerCache} threads on each cache, each adding 1 to "n" {@code count} times. */
  public static void concurrently(List<Cache<String, Integer>> caches, int threadsPerCache,
      int count) throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (Cache<String, Integer> cache : caches) {
      for (int t = 0; t < threadsPerCache; t++) {
        Thread worker = new Thread(() -> {
          for (int i = 0; i < count; i++) {
            cache.invoke("n", (entry, arguments) -> {
              entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
              return null;
            });
          }
        });
        // A failed invoke ends its thread: report it instead of a short count alone.
        worker.setUncaughtExceptionHandler((thread, failure) -> failures.add(failure));
        workers.add(worker);
        worker.start();
      }
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      AssertionError error = new AssertionError(failures.size() + " of " + workers.size()
          + " incrementing threads failed", failures.get(0));
      failures.stream().skip(1).forEach(error::addSuppressed);
      throw error;
    }
  }
}
