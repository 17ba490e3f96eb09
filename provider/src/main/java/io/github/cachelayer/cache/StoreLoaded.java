package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;

/** Keeps a value loadAll loaded: no writer call and no put statistics, as the specification says. */
final class StoreLoaded<K, V> extends Op<K, V, Void> {
  private final V value;
  private final boolean replaceExisting;

  StoreLoaded(OperationContext<K, V> context, K key, V value, boolean replaceExisting) {
    super(context, key);
    this.value = value;
    this.replaceExisting = replaceExisting;
  }

  @Override
  Void run(StoredEntry<V> live, Mutation<V> mutation) {
    if (live == null) {
      storeNew(context.copy(value), value, mutation);
    } else if (replaceExisting) {
      update(live, context.copy(value), value, mutation);
    }
    return null;
  }
}
