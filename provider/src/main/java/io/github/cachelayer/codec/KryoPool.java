package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Kryo instances for reuse, one taken for each encode, decode or copy. Kryo's own {@code Pool}
 * guards a queue with a lock, which showed in profiles of bulk reads (two lock round trips per
 * entry); here a thread takes and returns an instance with one atomic swap, in a slot picked by
 * the thread. An instance returned when its slots are full is dropped, not kept.
 */
final class KryoPool {
  /** Slots a thread looks at, from its own onwards, before it creates or drops an instance. */
  private static final int PROBES = 4;

  private final AtomicReferenceArray<Kryo> slots;
  private final int mask;
  private final Supplier<Kryo> factory;

  KryoPool(Supplier<Kryo> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
    int wanted = Math.max(64, 8 * Runtime.getRuntime().availableProcessors());
    int size = Integer.highestOneBit(wanted - 1) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
  }

  Kryo obtain() {
    int start = home();
    for (int i = 0; i < PROBES; i++) {
      Kryo kryo = slots.getAndSet((start + i) & mask, null);
      if (kryo != null) {
        return kryo;
      }
    }
    return factory.get();
  }

  void free(Kryo kryo) {
    int start = home();
    for (int i = 0; i < PROBES; i++) {
      if (slots.compareAndSet((start + i) & mask, null, kryo)) {
        return;
      }
    }
  }

  /**
   * Spreads threads over the slots; a thread keeps its slot, so it mostly meets its own Kryo.
   * The thread's id, not its identity hash: a thread's monitor is often inflated, and its
   * identity hash then takes the slow path.
   */
  @SuppressWarnings("deprecation") // threadId() is Java 19+
  private static int home() {
    long id = Thread.currentThread().getId();
    return (int) (id ^ (id >>> 32));
  }
}
