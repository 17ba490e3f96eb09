package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/**
 * Keeps a loaded value (loadAll's, or a lease holder's load): no writer call and no put
 * statistics, as the specification says.
 */
final class StoreLoaded<K, V> extends Op<K, V, Void> {
  private final V value;
  /** What the store keeps: copied once, however often the decision runs. */
  private final V copy;
  private final boolean replaceExisting;
  /** Whether this run kept the value (the expiry policy may not let it). */
  boolean stored;
  /** The live value this run left in place (not replacing existing ones), else null. */
  V present;

  StoreLoaded(OperationContext<K, V> context, K key, V value, boolean replaceExisting) {
    super(context, key);
    this.value = value;
    this.copy = context.copy(value);
    this.replaceExisting = replaceExisting;
  }

  /** One script in Redis: keep unless present (or replace), reporting what it found. */
  @Override
  public EntryCommand<V> command() {
    return command(replaceExisting ? Condition.ALWAYS : Condition.ABSENT, Effect.WRITE,
        copy, null, !replaceExisting, false);
  }

  @Override
  Void run(StoredEntry<V> live, Mutation<V> mutation) {
    stored = false;
    present = null;
    if (live == null) {
      stored = storeNew(copy, value, mutation);
    } else if (replaceExisting) {
      update(live, copy, value, mutation);
      stored = true;
    } else {
      present = live.value();
    }
    return null;
  }
}
