package io.github.cachelayer.cache;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.cache.integration.CompletionListener;

/**
 * loadAll: runs on the cache's executor, loads what is missing (or everything, when replacing)
 * with the loader's loadAll, stores it without calling the writer, and tells the listener. The
 * cache's close() waits for the tasks still running.
 */
final class BulkLoader<K, V> {
  private final OperationContext<K, V> context;
  private final ReadThrough<K, V> loader;
  private final Executor executor;
  private final BooleanSupplier closed;
  private final Set<CompletableFuture<Void>> running = ConcurrentHashMap.newKeySet();

  /** @param loader the cache's loader, used whether or not the cache reads through */
  BulkLoader(OperationContext<K, V> context, ReadThrough<K, V> loader, Executor executor,
      BooleanSupplier closed) {
    this.context = context;
    this.loader = loader;
    this.executor = executor;
    this.closed = closed;
  }

  @SuppressWarnings("CollectionUndefinedEquality") // a set of the very futures: identity is meant
  void loadAll(Set<? extends K> keys, boolean replaceExisting, CompletionListener listener) {
    Set<K> requested = new LinkedHashSet<>(keys);
    CompletableFuture<Void> task = new CompletableFuture<>();
    running.add(task);
    task.whenComplete((result, error) -> running.remove(task));
    executor.execute(() -> {
      try {
        load(requested, replaceExisting);
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e);
      } finally {
        task.complete(null);
      }
    });
  }

  private void load(Set<K> requested, boolean replaceExisting) {
    if (closed.getAsBoolean()) {
      throw new IllegalStateException("Cache '" + loader.cacheName() + "' closed before loading");
    }
    List<K> toLoad = new ArrayList<>();
    for (K key : requested) {
      if (replaceExisting || context.store.peek(key) == null) {
        toLoad.add(key);
      }
    }
    Map<K, V> loaded = loader.loadAll(toLoad);
    try {
      if (loaded != null) {
        loaded.forEach((key, value) -> {
          if (key != null && value != null) {
            context.compute(key, new StoreLoaded<>(context, key, value, replaceExisting));
          }
        });
      }
    } catch (RuntimeException | Error failure) {
      context.awaitListenersAfter(failure);
      throw failure;
    }
    context.awaitListeners();
  }

  /** Waits up to {@code seconds} for the running tasks; one still running then is left. */
  void awaitRunning(long seconds) {
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
