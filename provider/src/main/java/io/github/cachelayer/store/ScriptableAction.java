package io.github.cachelayer.store;

/** An {@link EntryAction} that can also describe itself as an {@link EntryCommand}. */
public interface ScriptableAction<V> {
  /** The command form of this decision, or null when it needs to run as Java. */
  EntryCommand<V> command();

  /** The entry processor this action runs, for a store with a script for it; or null. */
  default ProcessorCommand processorCommand() {
    return null;
  }
}
