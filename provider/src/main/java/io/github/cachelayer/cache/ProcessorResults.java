package io.github.cachelayer.cache;

import io.github.cachelayer.util.Futures;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/** invokeAll's answer: per key, its processor's result, or its failure to be thrown on get(). */
final class ProcessorResults {
  private ProcessorResults() {}

  /**
   * @param invoke runs the processor on one key (each key on its own, as invoke does)
   * @return the keys whose processor returned non-null or failed; a failure is wrapped in an
   *     {@link EntryProcessorException} unless it is one
   */
  static <K, T> Map<K, EntryProcessorResult<T>> each(Set<? extends K> keys,
      Function<K, T> invoke) {
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        add(results, key, invoke.apply(key));
      } catch (RuntimeException e) {
        addFailure(results, key, e);
      }
    }
    return results;
  }

  /** {@link #each} of invocations that were started together and have all ended. */
  static <K, T> Map<K, EntryProcessorResult<T>> ofEnded(Map<K, CompletableFuture<T>> ended) {
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    ended.forEach((key, invocation) -> {
      try {
        add(results, key, invocation.join());
      } catch (CompletionException e) {
        Throwable cause = Futures.cause(e);
        addFailure(results, key, cause instanceof RuntimeException runtime ? runtime
            : new EntryProcessorException(cause));
      }
    });
    return results;
  }

  private static <K, T> void add(Map<K, EntryProcessorResult<T>> results, K key, T result) {
    if (result != null) {
      results.put(key, () -> result);
    }
  }

  private static <K, T> void addFailure(Map<K, EntryProcessorResult<T>> results, K key,
      RuntimeException e) {
    EntryProcessorException failure = e instanceof EntryProcessorException epe
        ? epe : new EntryProcessorException(e);
    results.put(key, () -> {
      throw failure;
    });
  }
}
