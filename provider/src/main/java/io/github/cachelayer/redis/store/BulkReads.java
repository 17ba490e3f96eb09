package io.github.cachelayer.redis.store;

import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.redis.link.Batch;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.redis.outage.RedisFailures;
import io.github.cachelayer.store.StoredEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Many GETs at once: outside a cluster MGET of up to {@link RedisStore#ENTRIES_PER_CALL} keys per
 * command, its reply read as the list it is; in a cluster one pipeline of GETs per node.
 */
final class BulkReads<K, V> {
  /**
   * One GET: the entry's bytes, null when absent, or {@code ifOtherType} when the key holds
   * another type than a string (WRONGTYPE: a list someone pushed under a cache key).
   */
  static byte[] get(RedisLink link, String redisKey, byte[] ifOtherType) {
    try {
      return link.call(redisKey, RedisLink.Resend.ALWAYS, RedisCommands.GET,
          ByteArrayCodec.INSTANCE, redisKey);
    } catch (RuntimeException e) {
      if (RedisFailures.isWrongType(e)) {
        return ifOtherType;
      }
      throw e;
    }
  }

  private final RedisLink link;
  private final KeyNames keys;
  private final EntryDecoder<V> decoder;
  private final boolean multiKeyCommands;

  BulkReads(RedisLink link, KeyNames keys, EntryDecoder<V> decoder, boolean multiKeyCommands) {
    this.link = link;
    this.keys = keys;
    this.decoder = decoder;
    this.multiKeyCommands = multiKeyCommands;
  }

  Map<K, StoredEntry<V>> readAll(Collection<? extends K> keyList) {
    return multiKeyCommands ? byMget(keyList) : pipelined(keyList);
  }

  private Map<K, StoredEntry<V>> pipelined(Collection<? extends K> keyList) {
    Batch batch = link.batch(RedisLink.Resend.ALWAYS);
    Map<K, CompletableFuture<byte[]>> replies = new LinkedHashMap<>();
    for (K key : keyList) {
      String redisKey = keys.redisKey(key);
      replies.put(key, batch.add(redisKey, RedisCommands.GET, ByteArrayCodec.INSTANCE, redisKey));
    }
    batch.execute();
    Map<K, StoredEntry<V>> found = new HashMap<>();
    replies.forEach((key, reply) -> {
      byte[] bytes;
      try {
        bytes = Batch.join(reply);
      } catch (RuntimeException e) {
        if (!RedisFailures.isWrongType(e)) {
          throw e;
        }
        bytes = RedisStore.FOREIGN;
      }
      StoredEntry<V> entry = decoder.decode(bytes, key);
      if (entry != null) {
        found.put(key, entry);
      }
    });
    return found;
  }

  private Map<K, StoredEntry<V>> byMget(Collection<? extends K> keyList) {
    List<K> all = new ArrayList<>(keyList);
    Map<K, StoredEntry<V>> found = new HashMap<>(Math.max(16, all.size() * 4 / 3 + 1));
    for (int from = 0; from < all.size(); from += RedisStore.ENTRIES_PER_CALL) {
      int to = Math.min(all.size(), from + RedisStore.ENTRIES_PER_CALL);
      Object[] redisKeys = new Object[to - from];
      for (int i = from; i < to; i++) {
        redisKeys[i - from] = keys.redisKey(all.get(i));
      }
      List<Object> replies = link.call((String) redisKeys[0], RedisLink.Resend.ALWAYS,
          RedisCommands.MGET, ByteArrayCodec.INSTANCE, redisKeys);
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
