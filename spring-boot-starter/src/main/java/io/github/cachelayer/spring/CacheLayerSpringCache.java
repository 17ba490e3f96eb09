package io.github.cachelayer.spring;

import io.github.cachelayer.cache.AsyncCache;
import io.github.cachelayer.cache.CacheLayerCache;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.springframework.cache.jcache.JCacheCache;

/**
 * Spring's JCache cache, completed for CacheLayer: {@code get(key, Callable)} ({@code @Cacheable(
 * sync = true)}) loads once across every node sharing the cache (the cache's load lease), and
 * {@code retrieve} serves {@code @Cacheable} methods returning {@code CompletableFuture},
 * {@code Mono} or {@code Flux}, which Spring's own JCache cache refuses.
 *
 * <p>In fallback mode retrieval completes at once on the caller's thread (the cache is in
 * memory). In Redis mode it goes through the cache's {@link AsyncCache} view: a hit or miss is
 * read without a thread waiting for Redis, and a load runs on the view's executor, so the caller
 * (an event loop, say) never waits; a load holds its key's lease until the loader's future ends.
 * Concurrent retrievals of one missing key in this JVM share one load.
 */
class CacheLayerSpringCache extends JCacheCache {
  private final CacheLayerCache<Object, Object> cache;
  private final AsyncCache<Object, Object> async;
  private final boolean inMemory;
  /** Loads under way in this JVM, so that concurrent misses of a key share one. */
  private final ConcurrentMap<Object, CompletableFuture<Object>> loads = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  CacheLayerSpringCache(CacheLayerCache<Object, Object> cache, boolean inMemory,
      boolean allowNullValues) {
    super(cache, allowNullValues);
    this.cache = cache;
    this.async = cache.unwrap(AsyncCache.class);
    this.inMemory = inMemory;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    Object stored = cache.getOrLoad(key, missing -> {
      try {
        return toStoreValue(valueLoader.call());
      } catch (Exception e) {
        throw new ValueRetrievalException(missing, valueLoader, e);
      }
    });
    return (T) fromStoreValue(stored);
  }

  /**
   * The cached value (a {@code ValueWrapper} when null values are allowed, as Spring expects),
   * or null for a miss: null at once in fallback mode, a future completing with null in Redis
   * mode.
   */
  @Override
  public CompletableFuture<?> retrieve(Object key) {
    if (inMemory) {
      Object stored = lookup(key);
      return stored == null ? null : CompletableFuture.completedFuture(found(stored));
    }
    return async.get(key).thenApply(stored -> stored == null ? null : found(stored));
  }

  private Object found(Object stored) {
    return isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored);
  }

  /**
   * The cached value, or the loader's once it completes, kept for the next callers. A loader's
   * failure fails the returned future with the same exception and keeps nothing; a null result
   * is kept only when null values are allowed.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    CompletableFuture<Object> shared = new CompletableFuture<>();
    CompletableFuture<Object> running = loads.putIfAbsent(key, shared);
    if (running != null) {
      return (CompletableFuture<T>) running.thenApply(this::fromStoreValue);
    }
    // The load leaves the registry before anyone sees its outcome: a caller that calls again
    // as soon as its future completes (a failed load, say) starts a new load, never joins the
    // old one (completing shared first ran the caller's stage before a removal behind it).
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    outcome.whenComplete((value, failure) -> {
      loads.remove(key, shared);
      if (failure == null) {
        shared.complete(value);
      } else {
        shared.completeExceptionally(failure);
      }
    });
    if (inMemory) {
      loadInMemory(key, valueLoader, outcome);
    } else {
      loadShared(key, valueLoader, outcome);
    }
    return (CompletableFuture<T>) shared.thenApply(this::fromStoreValue);
  }

  /** Fallback mode: nothing waits; the value is kept unless another was put meanwhile. */
  private <T> void loadInMemory(Object key, Supplier<CompletableFuture<T>> valueLoader,
      CompletableFuture<Object> result) {
    try {
      Object stored = lookup(key);
      if (stored != null) {
        result.complete(stored);
        return;
      }
      valueLoader.get().whenComplete((value, failure) -> {
        if (failure != null) {
          result.completeExceptionally(unwrap(failure));
          return;
        }
        try {
          result.complete(keep(key, value));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    }
  }

  private Object keep(Object key, Object value) {
    Object stored = storable(value);
    if (stored == null) {
      return null;
    }
    if (cache.putIfAbsent(key, stored)) {
      return stored;
    }
    Object earlier = cache.get(key); // another caller's put came first: its value stands
    return earlier != null ? earlier : stored;
  }

  /**
   * Redis mode, on the view's executor: under the key's lease, so that one node loads while the
   * others wait for its value; the lease is held until the loader's future ends.
   */
  private <T> void loadShared(Object key, Supplier<CompletableFuture<T>> valueLoader,
      CompletableFuture<Object> result) {
    async.getOrLoad(key, missing -> {
      Object value;
      try {
        value = valueLoader.get().join();
      } catch (CompletionException e) {
        throw new LoaderFailed(unwrap(e));
      }
      return storable(value);
    }).whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        Throwable cause = unwrap(failure);
        result.completeExceptionally(cause instanceof LoaderFailed ? cause.getCause() : cause);
      }
    });
  }

  /** What a loaded value is kept as; null (nothing kept) for null without null values. */
  private Object storable(Object value) {
    return value == null && !isAllowNullValues() ? null : toStoreValue(value);
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  /** Carries a loader's own failure through the cache unchanged. */
  private static final class LoaderFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoaderFailed(Throwable cause) {
      super(null, cause, false, false);
    }
  }
}
