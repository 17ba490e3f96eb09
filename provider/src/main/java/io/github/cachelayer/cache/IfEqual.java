package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/**
 * {@code replace(k, old, new)} and {@code remove(k, old)}: acts when the live value equals the
 * expected one, and otherwise counts as an access (the expected value was read and compared).
 */
final class IfEqual<K, V> extends Op<K, V, Boolean> {
  private final V expected;
  /** The replacement (a copy under store-by-value), or null to remove. */
  private final V stored;
  private final V given;

  /** Replaces the value with {@code given} (kept as {@code stored}) if it equals {@code expected}. */
  static <K, V> IfEqual<K, V> replace(OperationContext<K, V> context, K key, V expected,
      V stored, V given) {
    return new IfEqual<>(context, key, expected, stored, given);
  }

  /** Removes the entry if its value equals {@code expected}. */
  static <K, V> IfEqual<K, V> remove(OperationContext<K, V> context, K key, V expected) {
    return new IfEqual<>(context, key, expected, null, null);
  }

  private IfEqual(OperationContext<K, V> context, K key, V expected, V stored, V given) {
    super(context, key);
    this.expected = expected;
    this.stored = stored;
    this.given = given;
  }

  @Override
  public EntryCommand<V> command() {
    return command(Condition.EQUALS, stored == null ? Effect.REMOVE : Effect.WRITE, stored,
        expected, true, true);
  }

  @Override
  Boolean run(StoredEntry<V> live, Mutation<V> mutation) {
    if (live == null) {
      return false;
    }
    hit = true;
    if (!live.value().equals(expected)) {
      touchOnAccess(live, mutation);
      return false;
    }
    if (stored == null) {
      context.writer.delete(key);
      remove(live, mutation);
    } else {
      context.writer.write(key, given);
      update(live, stored, given, mutation);
    }
    return true;
  }
}
