package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/** An unconditional put: creates or updates; answers the previous live value. */
final class Put<K, V> extends Op<K, V, V> {
  private final V stored;
  private final V given;
  private final boolean callWriter;
  private final boolean returnsPrevious;

  /**
   * @param stored the value to keep (a copy under store-by-value)
   * @param given the caller's value, for the writer and the events
   * @param callWriter false when the writer already wrote the entry (putAll's batch)
   * @param returnsPrevious whether the caller uses the previous value (getAndPut)
   */
  Put(OperationContext<K, V> context, K key, V stored, V given, boolean callWriter,
      boolean returnsPrevious) {
    super(context, key);
    this.stored = stored;
    this.given = given;
    this.callWriter = callWriter;
    this.returnsPrevious = returnsPrevious;
  }

  @Override
  public EntryCommand<V> command() {
    return command(Condition.ALWAYS, Effect.WRITE, stored, null, returnsPrevious, callWriter);
  }

  @Override
  V run(StoredEntry<V> live, Mutation<V> mutation) {
    hit = live != null;
    if (callWriter) {
      context.writer.write(key, given);
    }
    if (live == null) {
      create(stored, given, mutation);
      return null;
    }
    update(live, stored, given, mutation);
    return live.value();
  }
}
