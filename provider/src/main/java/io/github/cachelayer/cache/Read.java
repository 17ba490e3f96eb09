package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;

/** A read: touches a hit with the access expiry, loads a miss when reading through. */
final class Read<K, V> extends Op<K, V, V> {
  private final boolean readThrough;
  /** Whether this run stored what the loader returned (the caller gets it uncopied). */
  boolean loaded;
  /** Set by a probe that found nothing to return and would have to call the loader. */
  boolean wouldLoad;
  private boolean probeOnly;

  Read(OperationContext<K, V> context, K key, boolean readThrough) {
    super(context, key);
    this.readThrough = readThrough;
  }

  /**
   * A read that stops short of loading, for stores that coordinate loads across JVMs: it reports
   * a miss through {@link #wouldLoad} instead of calling the loader.
   */
  Read<K, V> probe() {
    probeOnly = true;
    return this;
  }

  @Override
  public EntryCommand<V> command() {
    return readThrough ? null : command(Condition.PRESENT, Effect.TOUCH, null, null, true, false);
  }

  @Override
  public boolean isPlainRead() {
    return !readThrough;
  }

  @Override
  V run(StoredEntry<V> live, Mutation<V> mutation) {
    loaded = false;
    if (live != null) {
      hit = true;
      touchOnAccess(live, mutation);
      return live.value();
    }
    if (!readThrough) {
      return null;
    }
    if (probeOnly) {
      wouldLoad = true;
      return null;
    }
    V value = context.readThrough.load(key);
    if (value == null || !storeNew(context.copy(value), value, mutation)) {
      return null;
    }
    loaded = true;
    return value;
  }
}
