package io.github.cachelayer.cache;

import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.ProcessorCommand;
import java.util.function.Function;
import javax.cache.CacheException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;

/** Runs an entry processor on a copy of the entry and applies its net effect. */
final class Invocation<K, V, T> extends Op<K, V, T> {
  private EntryProcessor<K, V, T> processor;
  private final Object[] arguments;

  Invocation(OperationContext<K, V> context, K key, EntryProcessor<K, V, T> processor,
      Object[] arguments) {
    super(context, key);
    this.processor = processor;
    this.arguments = arguments;
  }

  /**
   * Offered when the processor alone decides: no writer or loader to call, no listener to tell,
   * and expiry durations fixed by the policy (a store may then run a processor it knows on its
   * server).
   */
  @Override
  public ProcessorCommand processorCommand() {
    EntryCommand.Durations durations = context.expiry.durations();
    if (durations == null || context.writer.isPresent() || context.readThrough != null
        || context.eventsWanted()) {
      return null;
    }
    return new ProcessorCommand(processor, now.millis(), durations);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void decidedAt(long serverMillis, Object serverProcessor) {
    now.pin(serverMillis);
    processor = (EntryProcessor<K, V, T>) serverProcessor;
  }

  @Override
  T run(StoredEntry<V> live, Mutation<V> mutation) {
    hit = live != null;
    Function<K, V> loader = context.readThrough == null ? null : context.readThrough::load;
    ProcessorEntry<K, V> entry = new ProcessorEntry<>(key,
        live == null ? null : context.copy(live.value()), loader);
    T result;
    try {
      result = processor.process(entry, arguments);
    } catch (CacheException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EntryProcessorException(e);
    }
    V value = entry.value();
    switch (entry.operation()) {
      case NONE -> { }
      case ACCESS -> touchOnAccess(live, mutation);
      case LOAD -> storeNew(context.copy(value), value, mutation);
      case CREATE -> {
        context.writer.write(key, value);
        create(context.copy(value), value, mutation);
      }
      case UPDATE -> {
        context.writer.write(key, value);
        update(live, context.copy(value), value, mutation);
      }
      case REMOVE -> {
        context.writer.delete(key);
        if (live != null) {
          remove(live, mutation);
        }
      }
    }
    return result;
  }
}
