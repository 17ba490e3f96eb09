package io.github.cachelayer.store.command;

/** An {@link EntryAction} that can also describe itself as an {@link EntryCommand}. */
public interface ScriptableAction<V> {
  /** The command form of this decision, or null when it needs to run as Java. */
  EntryCommand<V> command();

  /** The entry processor this action runs, for a store with a script for it; or null. */
  default ProcessorCommand processorCommand() {
    return null;
  }

  /**
   * The store ran this action's processor on its server, deciding at {@code serverMillis} (the
   * server's clock, shared by every JVM): the next {@code apply} decides at that time, with
   * {@code processor} (the caller's, at that time) in place of the caller's, so that it replays
   * what the server decided.
   */
  default void decidedAt(long serverMillis, Object processor) {}
}
