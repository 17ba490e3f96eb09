package io.github.cachelayer.cache;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on. It records what the
 * processor did, and the cache applies the net effect atomically when the processor returns.
 *
 * <p>Read-through: {@link #getValue()} calls the loader when the entry is absent and the
 * processor has not removed it. After {@link #remove()} the entry stays absent for the rest of
 * the processor, whether it existed before or the processor had loaded or created it: a removal
 * is never undone by reading, so its net effect does not depend on a later read.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
  /** The net effect of a processor run. */
  enum Operation { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

  private final K key;
  private final V existing;
  private final Function<K, V> loader;
  private V value;
  private Operation operation = Operation.NONE;
  /** Set by remove(), cleared by setValue(): no load while the processor's removal stands. */
  private boolean removed;

  /**
   * @param existing the live value before the processor ran (a copy), or null
   * @param loader loads the value on a read of an absent entry (read-through), or null
   */
  ProcessorEntry(K key, V existing, Function<K, V> loader) {
    this.key = key;
    this.existing = existing;
    this.loader = loader;
  }

  Operation operation() {
    return operation;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (removed) {
      return null;
    }
    if (operation == Operation.NONE) {
      value = existing;
      if (value != null) {
        operation = Operation.ACCESS;
      }
    }
    if (value == null && loader != null) {
      value = loader.apply(key);
      if (value != null) {
        operation = Operation.LOAD;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    if (removed) {
      return false;
    }
    return switch (operation) {
      case NONE -> existing != null;
      case REMOVE -> false;
      default -> value != null;
    };
  }

  @Override
  public void remove() {
    operation = (operation == Operation.CREATE || operation == Operation.LOAD)
        ? Operation.NONE : Operation.REMOVE;
    value = null;
    removed = true;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "an entry processor cannot set a null value");
    operation = existing == null ? Operation.CREATE : Operation.UPDATE;
    value = newValue;
    removed = false;
  }

  /** The value the processor left, for CREATE, UPDATE and LOAD. */
  V value() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a processor entry to " + clazz.getName());
  }
}
