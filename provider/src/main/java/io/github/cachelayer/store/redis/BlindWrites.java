package io.github.cachelayer.store.redis;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.internal.redisson.api.RBatch;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.EntryCommand;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes that need not read the entry they replace (see {@link EntryCommand#isBlindWrite()}), while
 * nobody listens: a plain SET (PX unless eternal); in bulk, eternal entries in MSETs outside a
 * cluster and the rest as SETs in one pipeline (one per node in a cluster).
 */
final class BlindWrites<K, V> {
  private final RedissonClient client;
  private final KeyNames keys;
  private final ValueCodec codec;
  private final long retentionMillis;
  private final boolean multiKeyCommands;

  BlindWrites(RedissonClient client, KeyNames keys, ValueCodec codec, long retentionMillis,
      boolean multiKeyCommands) {
    this.client = client;
    this.keys = keys;
    this.codec = codec;
    this.retentionMillis = retentionMillis;
    this.multiKeyCommands = multiKeyCommands;
  }

  /** Writes one and settles its action. */
  <R> R write(String redisKey, EntryCommand<V> command, EntryAction<V, R> action) {
    var bucket = client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE);
    Duration ttl = ttl(command);
    if (ttl == null) {
      bucket.set(entry(command));
    } else {
      bucket.set(entry(command), ttl);
    }
    return settle(action);
  }

  /**
   * Writes the blind writes among {@code commands} and settles their actions into
   * {@code results}; returns which it settled.
   */
  <R> boolean[] writeAll(List<? extends K> keyList, List<? extends EntryAction<V, R>> actions,
      EntryCommand<V>[] commands, Object[] results) {
    int size = keyList.size();
    boolean[] blind = new boolean[size];
    Map<String, byte[]> eternal = new LinkedHashMap<>();
    RBatch batch = null;
    for (int i = 0; i < size; i++) {
      EntryCommand<V> command = commands[i];
      if (command == null || !command.isBlindWrite()) {
        continue;
      }
      blind[i] = true;
      String redisKey = keys.redisKey(keyList.get(i));
      Duration ttl = ttl(command);
      if (ttl == null && multiKeyCommands) {
        eternal.put(redisKey, entry(command));
        if (eternal.size() == RedisStore.ENTRIES_PER_CALL) {
          client.getBuckets(ByteArrayCodec.INSTANCE).set(eternal);
          eternal.clear();
        }
        continue;
      }
      batch = batch == null ? client.createBatch() : batch;
      var bucket = batch.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE);
      if (ttl == null) {
        bucket.setAsync(entry(command));
      } else {
        bucket.setAsync(entry(command), ttl);
      }
    }
    if (!eternal.isEmpty()) {
      client.getBuckets(ByteArrayCodec.INSTANCE).set(eternal);
    }
    if (batch != null) {
      batch.execute();
    }
    for (int i = 0; i < size; i++) {
      if (blind[i]) {
        results[i] = settle(actions.get(i));
      }
    }
    return blind;
  }

  private byte[] entry(EntryCommand<V> command) {
    return EntryFormat.encode(codec.encode(command.value()), expireAt(command));
  }

  /** As entry.lua computes it: a time past what the header can hold is eternal. */
  private static long expireAt(EntryCommand<?> command) {
    long creation = command.durations().creation();
    return creation == EntryCommand.Durations.ETERNAL
        || creation >= EntryFormat.ETERNAL_DIGITS - command.now()
        ? StoredEntry.ETERNAL : command.now() + creation;
  }

  /** Redis's TTL; null for an eternal entry (a SET without PX). */
  private Duration ttl(EntryCommand<V> command) {
    long expireAt = expireAt(command);
    return expireAt == StoredEntry.ETERNAL ? null
        : Duration.ofMillis(expireAt - command.now() + retentionMillis);
  }

  /**
   * After a blind write the action runs as on an absent entry: its result, counters and (absent)
   * events are the same either way, which is what made the write blind.
   */
  private static <V, R> R settle(EntryAction<V, R> action) {
    R result = action.apply(null, new Mutation<>());
    action.onCommit();
    return result;
  }
}
