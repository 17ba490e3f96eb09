package io.github.cachelayer.cache;

import io.github.cachelayer.store.WaitNeeded;
import io.github.cachelayer.util.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One single-key write or removal, ready to run: its decision, and what the cache records once
 * it ran (hits or misses when it reads, puts and removals, their times). {@link #run} waits for
 * the store; {@link #runWithoutWaiting} lets a remote store run it with no thread waiting.
 * Both record the same way, so the asynchronous view means what the synchronous cache means.
 */
final class SingleWrite<K, V, R> {
  /** What a run counts besides its puts and removals. */
  enum Reads {
    /** Nothing: the caller does not see the previous value. */
    NONE,
    /** A hit or a miss with its time: the previous value is returned or compared. */
    TIMED,
    /** putIfAbsent: a miss when it created the entry, else a hit; no read time. */
    PRESENCE
  }

  private final OperationContext<K, V> context;
  private final K key;
  private final Op<K, V, R> op;
  private final long start;
  private final Reads reads;
  /** Whether a run that fails is counted too (a processor's failure, as invoke counts it). */
  private final boolean countsFailures;

  SingleWrite(OperationContext<K, V> context, K key, Op<K, V, R> op, long start, Reads reads) {
    this(context, key, op, start, reads, false);
  }

  SingleWrite(OperationContext<K, V> context, K key, Op<K, V, R> op, long start, Reads reads,
      boolean countsFailures) {
    this.context = context;
    this.key = key;
    this.op = op;
    this.start = start;
    this.reads = reads;
    this.countsFailures = countsFailures;
  }

  R run() {
    R result;
    try {
      result = context.compute(key, op);
    } catch (RuntimeException | Error failure) {
      if (countsFailures) {
        count(null);
      }
      throw failure;
    }
    return recorded(result);
  }

  /**
   * The run started without the caller's thread waiting, or null when the store cannot start it
   * so (a local store, a key this JVM contends for), or the cache has listeners (their
   * synchronous deliveries are awaited on the thread that ran the decision) or a writer (an
   * attempt that did not settle runs again, and the writer would see the write twice).
   * Fails with {@link WaitNeeded} when it did not settle.
   */
  CompletableFuture<R> runWithoutWaiting(Executor executor) {
    if (context.eventsWanted() || context.writer.isPresent()) {
      return null;
    }
    CompletableFuture<R> attempt = context.computeWithoutWaiting(key, op, executor);
    if (attempt == null) {
      return null;
    }
    return attempt.handle((result, failure) -> {
      if (failure == null) {
        return recorded(result);
      }
      if (countsFailures && !(Futures.cause(failure) instanceof WaitNeeded)) {
        count(null);
      }
      throw failure instanceof CompletionException completion ? completion
          : new CompletionException(failure);
    });
  }

  private R recorded(R result) {
    count(result);
    context.awaitListeners();
    return result;
  }

  private void count(R result) {
    switch (reads) {
      case TIMED -> context.statistics.recordRead(op.hit, start);
      case PRESENCE -> {
        if (Boolean.TRUE.equals(result)) {
          context.statistics.recordMisses(1);
        } else {
          context.statistics.recordHits(1);
        }
      }
      case NONE -> { }
    }
    context.statistics.recordPutsSince(op.puts, start);
    context.statistics.recordRemovalsSince(op.removals, start);
  }
}
