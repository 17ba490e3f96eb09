package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommand;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.redis.link.Batch;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes that need not read the entry they replace (see {@link EntryCommand#isBlindWrite()}), while
 * nobody listens: a plain SET (PX unless eternal); in bulk, eternal entries in MSETs outside a
 * cluster and the rest as SETs in one pipeline (one per node in a cluster). A write whose answer
 * did not come is sent again only after the link fenced the connection that carried it
 * ({@link RedisLink.Resend#AFTER_FENCE}): a plain SET may be repeated, but not overtaken by
 * its own first attempt.
 */
final class BlindWrites<K, V> {
  private static final Object[] NO_PARAMS = {};
  private final RedisLink link;
  private final KeyNames keys;
  private final ValueCodec codec;
  private final long retentionMillis;
  private final boolean multiKeyCommands;

  BlindWrites(RedisLink link, KeyNames keys, ValueCodec codec, long retentionMillis,
      boolean multiKeyCommands) {
    this.link = link;
    this.keys = keys;
    this.codec = codec;
    this.retentionMillis = retentionMillis;
    this.multiKeyCommands = multiKeyCommands;
  }

  /** Writes one and settles its action. */
  <R> R write(String redisKey, EntryCommand<V> command, EntryAction<V, R> action) {
    long ttl = ttl(command);
    link.call(redisKey, RedisLink.Resend.AFTER_FENCE, setCommand(ttl), ByteArrayCodec.INSTANCE,
        setParams(redisKey, ttl, command));
    return settle(action);
  }

  /** {@link #write}'s command sent without a thread waiting; {@link #settle} once it answers. */
  CompletableFuture<Object> sendWithoutWaiting(String redisKey, EntryCommand<V> command) {
    long ttl = ttl(command);
    return link.writeWithoutWaiting(redisKey, setCommand(ttl), ByteArrayCodec.INSTANCE,
        setParams(redisKey, ttl, command));
  }

  /** SET for an eternal entry, PSETEX for one that expires. */
  private static RedisCommand<?> setCommand(long ttl) {
    return ttl == 0 ? RedisCommands.SET : RedisCommands.PSETEX;
  }

  private Object[] setParams(String redisKey, long ttl, EntryCommand<V> command) {
    return ttl == 0 ? new Object[] {redisKey, entry(redisKey, command)}
        : new Object[] {redisKey, ttl, entry(redisKey, command)};
  }

  /**
   * Writes the blind writes among {@code commands} and settles their actions into
   * {@code results}; returns which it settled.
   */
  <R> boolean[] writeAll(List<? extends K> keyList, List<? extends EntryAction<V, R>> actions,
      EntryCommand<V>[] commands, Object[] results) {
    int size = keyList.size();
    boolean[] blind = new boolean[size];
    List<Object> eternal = new ArrayList<>();
    Batch batch = link.batch(RedisLink.Resend.AFTER_FENCE);
    List<CompletableFuture<Object>> replies = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      EntryCommand<V> command = commands[i];
      if (command == null || !command.isBlindWrite()) {
        continue;
      }
      blind[i] = true;
      String redisKey = keys.redisKey(keyList.get(i));
      long ttl = ttl(command);
      if (ttl == 0 && multiKeyCommands) {
        eternal.add(redisKey);
        eternal.add(entry(redisKey, command));
        if (eternal.size() == 2 * RedisStore.ENTRIES_PER_CALL) {
          mset(eternal);
        }
        continue;
      }
      replies.add(ttl == 0
          ? batch.add(redisKey, RedisCommands.SET, ByteArrayCodec.INSTANCE, redisKey,
              entry(redisKey, command))
          : batch.add(redisKey, RedisCommands.PSETEX, ByteArrayCodec.INSTANCE, redisKey, ttl,
              entry(redisKey, command)));
    }
    mset(eternal);
    batch.execute();
    for (var reply : replies) {
      Batch.join(reply);
    }
    for (int i = 0; i < size; i++) {
      if (blind[i]) {
        results[i] = settle(actions.get(i));
      }
    }
    return blind;
  }

  /** One MSET of the pending key-value pairs (outside a cluster), then empties them. */
  private void mset(List<Object> pairs) {
    if (!pairs.isEmpty()) {
      link.call((String) pairs.get(0), RedisLink.Resend.AFTER_FENCE, RedisCommands.MSET,
          ByteArrayCodec.INSTANCE, pairs.toArray(NO_PARAMS));
      pairs.clear();
    }
  }

  private byte[] entry(String redisKey, EntryCommand<V> command) {
    return EntryFormat.encode(codec, command.value(), redisKey, expireAt(command));
  }

  /** As entry.lua computes it: a time past what the header can hold is eternal. */
  private static long expireAt(EntryCommand<?> command) {
    long creation = command.durations().creation();
    return creation == EntryCommand.Durations.ETERNAL
        || creation >= EntryFormat.ETERNAL_DIGITS - command.now()
        ? StoredEntry.ETERNAL : command.now() + creation;
  }

  /** Redis's TTL in milliseconds; 0 for an eternal entry (a SET without one). */
  private long ttl(EntryCommand<V> command) {
    long expireAt = expireAt(command);
    return expireAt == StoredEntry.ETERNAL ? 0
        : Math.max(1, expireAt - command.now() + retentionMillis);
  }

  /**
   * After a blind write the action runs as on an absent entry: its result, counters and (absent)
   * events are the same either way, which is what made the write blind.
   */
  static <V, R> R settle(EntryAction<V, R> action) {
    R result = action.apply(null, new Mutation<>());
    action.onCommit();
    return result;
  }
}
