package io.github.cachelayer.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * putAll and removeAll: the writer's batch first (what it failed to write is not cached, what it
 * failed to delete stays cached), then one decision per key, sent together where the store can;
 * the writer's failure is thrown after the rest is applied and its events delivered.
 */
final class BulkWrites<K, V> {
  private final OperationContext<K, V> context;

  BulkWrites(OperationContext<K, V> context) {
    this.context = context;
  }

  void putAll(Map<? extends K, ? extends V> map) {
    long start = context.statistics.start();
    WriteThrough.Batch<? extends Map<? extends K, ? extends V>> written =
        context.writer.writeAll(map);
    List<K> keys = new ArrayList<>(written.done().size());
    List<Put<K, V>> puts = new ArrayList<>(written.done().size());
    written.done().forEach((key, value) -> {
      keys.add(key);
      puts.add(new Put<>(context, key, context.copy(value), value, false, false));
    });
    context.computeAll(keys, puts);
    context.statistics.recordPutsSince(puts.stream().mapToInt(put -> put.puts).sum(), start);
    written.throwIfFailed();
  }

  void removeAll(Set<K> keys) {
    long start = context.statistics.start();
    WriteThrough.Batch<Set<K>> deleted = context.writer.deleteAll(keys);
    List<K> storeKeys = new ArrayList<>(deleted.done());
    List<Removal<K, V>> removals = new ArrayList<>(storeKeys.size());
    for (K key : storeKeys) {
      removals.add(new Removal<>(context, key, false, false));
    }
    context.computeAll(storeKeys, removals);
    context.statistics.recordRemovalsSince(
        removals.stream().mapToInt(removal -> removal.removals).sum(), start);
    deleted.throwIfFailed();
  }
}
