package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;
import java.util.function.Function;

/**
 * A read: touches a hit with the access expiry, loads a miss when reading through (the cache's
 * loader, or a caller's for {@code getOrLoad}).
 */
final class Read<K, V> extends Op<K, V, V> {
  /** Null when a miss is not loaded. */
  private final Function<? super K, ? extends V> loader;
  /** Whether this run stored what the loader returned (the caller gets it uncopied). */
  boolean loaded;
  /** What the loader returned when the expiry policy did not let it be kept. */
  V unkept;
  /** Set by a probe that found nothing to return and would have to call the loader. */
  boolean wouldLoad;
  private boolean probeOnly;

  Read(OperationContext<K, V> context, K key, Function<? super K, ? extends V> loader) {
    super(context, key);
    this.loader = loader;
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
    return loader != null ? null : command(Condition.PRESENT, Effect.TOUCH, null, null, true, false);
  }

  @Override
  public boolean isPlainRead() {
    return loader == null;
  }

  @Override
  V run(StoredEntry<V> live, Mutation<V> mutation) {
    loaded = false;
    unkept = null;
    if (live != null) {
      hit = true;
      touchOnAccess(live, mutation);
      return live.value();
    }
    if (loader == null) {
      return null;
    }
    if (probeOnly) {
      wouldLoad = true;
      return null;
    }
    V value = loader.apply(key);
    if (value == null) {
      return null;
    }
    if (!storeNew(context.copy(value), value, mutation)) {
      unkept = value;
      return null;
    }
    loaded = true;
    return value;
  }
}
