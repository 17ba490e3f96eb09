package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/** {@code replace(k, v)} and {@code getAndReplace}: answers the value replaced, or null. */
final class ReplacePresent<K, V> extends Op<K, V, V> {
  private final V stored;
  private final V given;
  private final boolean returnsPrevious;

  ReplacePresent(OperationContext<K, V> context, K key, V stored, V given,
      boolean returnsPrevious) {
    super(context, key);
    this.stored = stored;
    this.given = given;
    this.returnsPrevious = returnsPrevious;
  }

  @Override
  public EntryCommand<V> command() {
    return command(Condition.PRESENT, Effect.WRITE, stored, null, returnsPrevious, true);
  }

  @Override
  V run(StoredEntry<V> live, Mutation<V> mutation) {
    if (live == null) {
      return null;
    }
    hit = true;
    context.writer.write(key, given);
    update(live, stored, given, mutation);
    return live.value();
  }
}
