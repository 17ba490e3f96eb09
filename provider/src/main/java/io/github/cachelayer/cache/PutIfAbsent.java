package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/** Creates the entry if there is none; true if it did. */
final class PutIfAbsent<K, V> extends Op<K, V, Boolean> {
  private final V stored;
  private final V given;

  PutIfAbsent(OperationContext<K, V> context, K key, V stored, V given) {
    super(context, key);
    this.stored = stored;
    this.given = given;
  }

  @Override
  public EntryCommand<V> command() {
    return command(Condition.ABSENT, Effect.WRITE, stored, null, false, true);
  }

  @Override
  Boolean run(StoredEntry<V> live, Mutation<V> mutation) {
    if (live != null) {
      hit = true;
      return false;
    }
    context.writer.write(key, given);
    return create(stored, given, mutation);
  }
}
