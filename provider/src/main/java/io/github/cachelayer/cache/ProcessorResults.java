package io.github.cachelayer.cache;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
        T result = invoke.apply(key);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (RuntimeException e) {
        EntryProcessorException failure = e instanceof EntryProcessorException epe
            ? epe : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
      }
    }
    return results;
  }
}
