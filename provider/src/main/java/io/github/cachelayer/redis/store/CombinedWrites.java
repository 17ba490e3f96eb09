package io.github.cachelayer.redis.store;

import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.command.ScriptableAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Flat combining for a hot key: the threads of this JVM that want to decide on the same key
 * queue their decisions, and whichever holds the key's lock runs all queued ones in order on
 * the entry, each on the previous one's result, then writes the last result with one
 * compare-and-set. If the entry changed meanwhile (another JVM wrote), the whole batch is decided
 * again on the bytes compare-and-set answered. So a batch costs one round trip however many
 * decisions it holds, and a hot key no longer costs a conflict per thread.
 *
 * <p>Only decisions that need nothing but the entry are combined (an entry processor with no
 * writer, loader or listener: {@link ScriptableAction#processorCommand}): they run on whichever
 * thread combines, which is harmless for them and not for a writer bound to its caller's thread.
 * Each caller gets its own result, or its own exception.
 */
final class CombinedWrites<K, V> {
  /** Decisions run per batch at most, so that one combiner does not serve for ever. */
  private static final int BATCH = 64;

  private final CompareAndSetLoop<K, V> loop;
  private final EntryDecoder<V> decoder;
  private final String cacheName;

  CombinedWrites(CompareAndSetLoop<K, V> loop, EntryDecoder<V> decoder, String cacheName) {
    this.loop = loop;
    this.decoder = decoder;
    this.cacheName = cacheName;
  }

  static boolean isCombinable(EntryAction<?, ?> action) {
    return action instanceof ScriptableAction<?> scriptable
        && scriptable.processorCommand() != null;
  }

  /** One queued decision and, once done, its outcome. */
  static final class Pending<K, V, R> {
    final String redisKey;
    final K key;
    final EntryAction<V, R> action;
    final Thread thread = Thread.currentThread();
    R result;
    RuntimeException failure;
    volatile boolean done;

    Pending(String redisKey, K key, EntryAction<V, R> action) {
      this.redisKey = redisKey;
      this.key = key;
      this.action = action;
    }

    R outcome() {
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }

  <R> R run(HotKeys.Stripe stripe, String redisKey, K key, EntryAction<V, R> action) {
    Pending<K, V, R> mine = new Pending<>(redisKey, key, action);
    stripe.queued.add(mine);
    while (!mine.done) {
      if (stripe.tryLock()) {
        try {
          while (!mine.done) {
            decideAndWrite(stripe, redisKey, drain(stripe, redisKey));
          }
        } finally {
          stripe.unlock(); // hands over to the next queued decision's thread
        }
      } else {
        // Until a combiner has decided this one or hands over; the timeout is a safety net.
        LockSupport.parkNanos(this, 2_000_000);
      }
    }
    return mine.outcome();
  }

  @SuppressWarnings("unchecked")
  private List<Pending<K, V, ?>> drain(HotKeys.Stripe stripe, String redisKey) {
    List<Pending<K, V, ?>> batch = new ArrayList<>();
    for (Iterator<CombinedWrites.Pending<?, ?, ?>> it = stripe.queued.iterator();
        it.hasNext() && batch.size() < BATCH; ) {
      Pending<?, ?, ?> pending = it.next();
      if (pending.redisKey.equals(redisKey)) {
        it.remove();
        batch.add((Pending<K, V, ?>) pending);
      }
    }
    return batch;
  }

  private void decideAndWrite(HotKeys.Stripe stripe, String redisKey,
      List<Pending<K, V, ?>> batch) {
    if (batch.size() > 1) {
      stripe.markHot();
    }
    byte[] start = stripe.remembered(redisKey);
    boolean current = start == HotKeys.UNKNOWN;
    Conflicts conflicts = new Conflicts(cacheName);
    try {
      if (current) {
        start = loop.read(redisKey);
      }
      while (true) {
        byte[] state = start;
        boolean writes = false;
        for (Pending<K, V, ?> pending : batch) {
          byte[] next = decide(pending, state);
          if (next != null) {
            writes = true;
            state = next.length == 0 ? null : next;
          }
        }
        if (!writes) {
          if (current) {
            finish(batch);
            return;
          }
          start = loop.read(redisKey);
          current = true;
          continue;
        }
        byte[] found = loop.compareAndSet(redisKey, start,
            state == null ? new byte[0] : state,
            state == null ? 0 : EntryFormat.expireAt(state), null, conflicts);
        if (found == CompareAndSetLoop.APPLIED) {
          stripe.remember(redisKey, state);
          finish(batch);
          return;
        }
        start = found.length == 0 ? null : found;
        current = true;
        stripe.markHot();
        conflicts.record();
      }
    } catch (RuntimeException e) {
      // Redis failed (or gave up): every decision of the batch fails with it, none applied.
      for (Pending<K, V, ?> pending : batch) {
        pending.failure = e;
        pending.done = true;
        LockSupport.unpark(pending.thread);
      }
    } finally {
      loop.releaseClaim(redisKey, conflicts);
    }
  }

  /** Runs one decision on {@code state}: the bytes it leaves (empty: none), or null if none. */
  private <R> byte[] decide(Pending<K, V, R> pending, byte[] state) {
    pending.failure = null;
    try {
      Mutation<V> mutation = new Mutation<>();
      pending.result = pending.action.apply(decoder.decode(state, pending.key), mutation);
      return loop.next(pending.redisKey, mutation, state);
    } catch (RuntimeException e) {
      pending.failure = e;
      return null;
    }
  }

  private void finish(List<Pending<K, V, ?>> batch) {
    for (Pending<K, V, ?> pending : batch) {
      if (pending.failure == null) {
        pending.action.onCommit();
      }
      pending.done = true;
      LockSupport.unpark(pending.thread);
    }
  }
}
