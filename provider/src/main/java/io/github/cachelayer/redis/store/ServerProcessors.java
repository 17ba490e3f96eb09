package io.github.cachelayer.redis.store;

import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.command.ProcessorCommand;

/**
 * Entry processors a store runs as scripts on the server, one round trip each (the helpers'
 * rate limiter and session processors, in {@code redis.helpers}); the store knows no processor
 * by itself. The wiring gives a store its runner when the cache's codec writes records the
 * scripts read.
 */
public interface ServerProcessors<K, V> {
  /** Whether a script runs {@code processor}. */
  boolean runs(Object processor);

  /**
   * Runs the command's processor as its script and settles the action on the entry the script
   * found ({@link EntryCommands#settle}); returns {result}, or null when it must run as Java (a
   * value the script does not read).
   */
  <R> Object[] run(String redisKey, K key, ProcessorCommand command, EntryAction<V, R> action);

  /** Makes the runner of one store, from that store's entry commands. */
  interface Factory {
    <K, V> ServerProcessors<K, V> forStore(EntryCommands<K, V> commands);
  }
}
