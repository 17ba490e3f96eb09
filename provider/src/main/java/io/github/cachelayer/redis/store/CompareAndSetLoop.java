package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.event.EventSource;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.WaitNeeded;
import io.github.cachelayer.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The general path of a decision: GET, decide in Java, write with {@code compare-and-set.lua},
 * which applies the decision only if the entry still holds the bytes that were read; on a
 * conflict it answers the bytes the entry holds now, and the decision is taken again on those
 * (no second GET). So the decision (and any writer or entry processor in it) may run more than
 * once.
 *
 * <p>A hot key (entry processors such as Bucket4j's, many threads on one key) would make the
 * writers of one JVM conflict with each other on every round: after a conflict, or when another
 * writer of the key is already queued, a writer takes the key's local lock ({@link HotKeys}) and
 * decides again on the bytes the previous holder wrote, so that one compare-and-set per write
 * suffices while no other JVM writes. Decisions that write nothing never queue: they answer from
 * the bytes they read.
 */
final class CompareAndSetLoop<K, V> {
  private static final byte[] NONE = new byte[0];
  /** compare-and-set's answer when it applied the decision. */
  static final byte[] APPLIED = new byte[0];
  private static final byte[] CLAIM_MILLIS =
      EntryScript.ascii(Long.toString(Conflicts.CLAIM_MILLIS));
  private final RedisLink link;
  private final KeyNames keys;
  private final String cacheName;
  private final ValueCodec codec;
  private final EntryDecoder<V> decoder;
  private final RedisEvents<K, V> events;
  private final long retentionMillis;
  private final Clock clock;
  private final HotKeys hotKeys = new HotKeys();
  private final CombinedWrites<K, V> combined;

  CompareAndSetLoop(RedisLink link, KeyNames keys, String cacheName, ValueCodec codec,
      EntryDecoder<V> decoder, RedisEvents<K, V> events, long retentionMillis, Clock clock) {
    this.link = link;
    this.keys = keys;
    this.cacheName = cacheName;
    this.codec = codec;
    this.decoder = decoder;
    this.events = events;
    this.retentionMillis = retentionMillis;
    this.clock = clock;
    this.combined = new CombinedWrites<>(this, decoder, cacheName);
  }

  <R> R run(String redisKey, K key, EntryAction<V, R> action) {
    HotKeys.Stripe stripe = hotKeys.stripe(redisKey);
    // Combined writes publish no events: only while no JVM listens to this cache.
    boolean combinable = CombinedWrites.isCombinable(action) && events.channelIfListened() == null;
    if (combinable && stripe.isHot()) {
      return combined.run(stripe, redisKey, key, action);
    }
    boolean locked = false;
    Conflicts conflicts = new Conflicts(cacheName);
    try {
      byte[] raw = HotKeys.UNKNOWN;
      if (stripe.isContended()) {
        // A hot key: queue behind this JVM's other writers of it, and start from the bytes the
        // last of them wrote instead of reading (newer than a read unless another JVM wrote).
        stripe.lock();
        locked = true;
        raw = stripe.remembered(redisKey);
      }
      boolean current = raw == HotKeys.UNKNOWN;
      if (current) {
        raw = read(redisKey);
      }
      for (int attempt = 1; ; attempt++) {
        Mutation<V> mutation = new Mutation<>();
        R result = action.apply(decoder.decode(raw, key), mutation);
        byte[] next = next(redisKey, mutation, raw);
        if (next == null) {
          if (current) {
            // Nothing to write, on bytes that were current when read: reads run side by side.
            action.onCommit();
            return result;
          }
          // Remembered bytes are not proof enough for an answer without a write: read them.
          if (locked) {
            stripe.unlock();
            locked = false;
          }
          raw = read(redisKey);
          current = true;
          continue;
        }
        if (combinable && attempt > 1 && !locked) {
          // A conflict on a decision another thread may take: join the combined writes.
          return combined.run(stripe, redisKey, key, action);
        }
        if (!locked && (attempt > 1 || stripe.isContended())) {
          stripe.lock();
          locked = true;
          byte[] remembered = stripe.remembered(redisKey);
          if (remembered != HotKeys.UNKNOWN && !Arrays.equals(remembered, raw)) {
            raw = remembered;
            current = false;
            continue;
          }
        }
        byte[] found = compareAndSet(redisKey, raw, next,
            mutation.kind() == Mutation.Kind.REMOVE ? 0 : mutation.expireAt(), action, conflicts);
        if (found == APPLIED) {
          stripe.remember(redisKey, next.length == 0 ? null : next);
          action.onCommit();
          return result;
        }
        raw = found.length == 0 ? null : found;
        current = true;
        stripe.markHot();
        conflicts.record();
      }
    } finally {
      releaseClaim(redisKey, conflicts);
      if (locked) {
        stripe.unlock();
      }
    }
  }

  /**
   * One round of {@link #run} with no thread waiting, on a key this JVM does not contend for: GET,
   * the decision on {@code executor}, and its compare-and-set (claiming nothing). Null on a
   * contended or hot key, where {@code run}'s queue and claims decide. The future fails with
   * {@link WaitNeeded} when the round did not settle the decision
   * (no answer to the GET, or a conflict: {@code run} then decides again); with a failure for
   * which {@link RedisLink#mayHaveRun} holds when the compare-and-set got no answer; or with the
   * decision's own failure.
   */
  <R> CompletableFuture<R> attemptWithoutWaiting(String redisKey, K key,
      EntryAction<V, R> action, Executor executor) {
    HotKeys.Stripe stripe = hotKeys.stripe(redisKey);
    if (stripe.isHot() || stripe.isContended()) {
      return null;
    }
    return link.<byte[]>readWithoutWaiting(redisKey, RedisCommands.GET, ByteArrayCodec.INSTANCE,
            redisKey)
        .exceptionally(failure -> {
          throw new WaitNeeded(failure); // a read: nothing to settle
        })
        .thenComposeAsync(raw -> {
          Mutation<V> mutation = new Mutation<>();
          R result = action.apply(decoder.decode(raw, key), mutation);
          byte[] next = next(redisKey, mutation, raw);
          if (next == null) {
            action.onCommit();
            return CompletableFuture.completedFuture(result);
          }
          return compareAndSetWithoutWaiting(redisKey, raw, next,
              mutation.kind() == Mutation.Kind.REMOVE ? 0 : mutation.expireAt())
              .thenApplyAsync(applied -> {
                if (!applied) {
                  throw new WaitNeeded(null);
                }
                stripe.remember(redisKey, next.length == 0 ? null : next);
                action.onCommit();
                return result;
              }, executor);
        }, executor);
  }

  /** {@link #compareAndSet} sent without waiting, claiming nothing: whether it applied. */
  private CompletableFuture<Boolean> compareAndSetWithoutWaiting(
      String redisKey, byte[] expected, byte[] next, long expireAt) {
    String claimKey = keys.claimKey(redisKey);
    return link.<List<Object>>evalWithoutWaiting(LuaScript.COMPARE_AND_SET.script(),
        claimKey == null ? List.of(redisKey) : List.of(redisKey, claimKey),
        expected == null ? NONE : expected, next, ttlArgument(expireAt), NONE, NONE, NONE,
        CLAIM_MILLIS).thenApply(reply -> reply.size() == 1);
  }

  /**
   * Deletes the entry's claim if the operation ended holding it without writing (its decision
   * threw, or wrote nothing on the bytes it met), so that other writers need not wait for it to
   * lapse. Best effort: a claim left behind lapses by itself.
   */
  void releaseClaim(String redisKey, Conflicts conflicts) {
    if (!conflicts.holdsClaim()) {
      return;
    }
    try {
      String claimKey = keys.claimKey(redisKey);
      link.eval(LuaScript.COMPARE_AND_DELETE.script(), RedisLink.Resend.AFTER_FENCE,
          java.util.List.of(claimKey), conflicts.token());
    } catch (RuntimeException e) {
      // Redis did not answer: the claim lapses within Conflicts.CLAIM_MILLIS.
    }
  }

  /** The entry's bytes, or null; a value of another type counts as none, as in the scripts. */
  byte[] read(String redisKey) {
    return BulkReads.get(link, redisKey, null);
  }

  /** The bytes to store for the decision, empty to delete, or null when nothing is written. */
  byte[] next(String redisKey, Mutation<V> mutation, byte[] raw) {
    return switch (mutation.kind()) {
      case KEEP -> null;
      case WRITE -> EntryFormat.encode(codec, mutation.value(), redisKey, mutation.expireAt());
      case TOUCH -> raw == null ? null : EntryFormat.withExpireAt(raw, mutation.expireAt());
      case REMOVE -> NONE;
    };
  }

  /**
   * Applies {@code next} (empty: delete) if the entry still holds {@code expected} (null: none),
   * publishing the action's events if anyone listens: {@link #APPLIED}, or what the entry holds
   * (then {@code conflicts} learns whether it holds the entry's claim).
   */
  @SuppressWarnings("unchecked")
  byte[] compareAndSet(String redisKey, byte[] expected, byte[] next, long expireAt,
      EntryAction<V, ?> action, Conflicts conflicts) {
    byte[] channel = NONE;
    byte[] message = NONE;
    String listened = events.channelIfListened();
    if (listened != null && action != null && action instanceof EventSource<?, ?> source
        && !source.events().isEmpty()) {
      channel = listened.getBytes(StandardCharsets.UTF_8);
      message = events.encode(((EventSource<K, V>) source).events());
    }
    String claimKey = keys.claimKey(redisKey);
    List<Object> reply = link.eval(LuaScript.COMPARE_AND_SET.script(), RedisLink.Resend.NEVER,
        claimKey == null ? List.of(redisKey) : List.of(redisKey, claimKey),
        expected == null ? NONE : expected, next, ttlArgument(expireAt), channel, message,
        EntryScript.ascii(conflicts.token()), CLAIM_MILLIS);
    if (reply.size() == 1) {
      conflicts.claimed(Conflicts.Claim.NONE); // a holder's write deletes its claim
      return APPLIED;
    }
    conflicts.claimed(reply.size() < 3 ? Conflicts.Claim.NONE
        : ((Number) reply.get(2)).longValue() == 1 ? Conflicts.Claim.MINE : Conflicts.Claim.OTHER);
    return (byte[]) reply.get(1);
  }

  /** Redis's TTL: until the logical expiry plus the retention margin; '0' means none. */
  private byte[] ttlArgument(long expireAt) {
    if (expireAt == StoredEntry.ETERNAL || expireAt == 0) {
      return EntryScript.ascii("0");
    }
    return EntryScript.ascii(Long.toString(Math.max(1, expireAt - clock.millis()
        + retentionMillis)));
  }
}
