package io.github.cachelayer.store.redis;

import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RBatch;
import io.github.cachelayer.internal.redisson.api.RFuture;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.internal.redisson.command.CommandAsyncExecutor;
import io.github.cachelayer.store.StoredEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many GETs at once: outside a cluster MGET of up to {@link RedisStore#ENTRIES_PER_CALL} keys per
 * command, its reply read as the list it is (Redisson's map-shaped {@code RBuckets.get} costs a
 * map per call, hence its command executor); in a cluster one pipeline of GETs per node.
 */
final class BulkReads<K, V> {
  /**
   * One GET: the entry's bytes, null when absent, or {@code ifOtherType} when the key holds
   * another type than a string (WRONGTYPE: a list someone pushed under a cache key).
   */
  static byte[] get(RedissonClient client, String redisKey, byte[] ifOtherType) {
    try {
      return client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE).get();
    } catch (RuntimeException e) {
      if (RedisFailures.isWrongType(e)) {
        return ifOtherType;
      }
      throw e;
    }
  }

  private final RedissonClient client;
  private final KeyNames keys;
  private final EntryDecoder<V> decoder;
  private final boolean multiKeyCommands;

  BulkReads(RedissonClient client, KeyNames keys, EntryDecoder<V> decoder,
      boolean multiKeyCommands) {
    this.client = client;
    this.keys = keys;
    this.decoder = decoder;
    this.multiKeyCommands = multiKeyCommands;
  }

  Map<K, StoredEntry<V>> readAll(Collection<? extends K> keyList) {
    return multiKeyCommands ? byMget(keyList) : pipelined(keyList);
  }

  private Map<K, StoredEntry<V>> pipelined(Collection<? extends K> keyList) {
    RBatch batch = client.createBatch();
    Map<K, RFuture<byte[]>> replies = new LinkedHashMap<>();
    for (K key : keyList) {
      replies.put(key, batch.<byte[]>getBucket(keys.redisKey(key), ByteArrayCodec.INSTANCE)
          .getAsync());
    }
    if (!replies.isEmpty()) {
      batch.execute();
    }
    Map<K, StoredEntry<V>> found = new HashMap<>();
    replies.forEach((key, reply) -> {
      StoredEntry<V> entry = decoder.decode(reply.toCompletableFuture().join(), key);
      if (entry != null) {
        found.put(key, entry);
      }
    });
    return found;
  }

  private Map<K, StoredEntry<V>> byMget(Collection<? extends K> keyList) {
    List<K> all = new ArrayList<>(keyList);
    Map<K, StoredEntry<V>> found = new HashMap<>(Math.max(16, all.size() * 4 / 3 + 1));
    CommandAsyncExecutor executor = ((Redisson) client).getCommandExecutor();
    for (int from = 0; from < all.size(); from += RedisStore.ENTRIES_PER_CALL) {
      int to = Math.min(all.size(), from + RedisStore.ENTRIES_PER_CALL);
      Object[] redisKeys = new Object[to - from];
      for (int i = from; i < to; i++) {
        redisKeys[i - from] = keys.redisKey(all.get(i));
      }
      List<Object> replies = executor.get(executor.<List<Object>, List<Object>>readAsync(
          (String) redisKeys[0], ByteArrayCodec.INSTANCE, RedisCommands.MGET, redisKeys));
      for (int i = from; i < to; i++) {
        StoredEntry<V> entry = decoder.decode((byte[]) replies.get(i - from), all.get(i));
        if (entry != null) {
          found.put(all.get(i), entry);
        }
      }
    }
    return found;
  }
}
