package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/** An unconditional removal; answers the value removed, or null when there was none. */
final class Removal<K, V> extends Op<K, V, V> {
  private final boolean deleteThrough;
  private final boolean returnsPrevious;

  /**
   * @param deleteThrough whether to call the writer (not when removeAll's batch did)
   * @param returnsPrevious whether the caller uses the removed value (getAndRemove)
   */
  Removal(OperationContext<K, V> context, K key, boolean deleteThrough,
      boolean returnsPrevious) {
    super(context, key);
    this.deleteThrough = deleteThrough;
    this.returnsPrevious = returnsPrevious;
  }

  @Override
  public EntryCommand<V> command() {
    return command(Condition.PRESENT, Effect.REMOVE, null, null, returnsPrevious, deleteThrough);
  }

  @Override
  V run(StoredEntry<V> live, Mutation<V> mutation) {
    hit = live != null;
    if (deleteThrough) {
      context.writer.delete(key);
    }
    if (live == null) {
      return null;
    }
    remove(live, mutation);
    return live.value();
  }
}
