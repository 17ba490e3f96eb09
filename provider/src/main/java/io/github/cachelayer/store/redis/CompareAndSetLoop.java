package io.github.cachelayer.store.redis;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.event.EventSource;
import io.github.cachelayer.internal.redisson.api.RScript;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.cache.CacheException;

/**
 * The general path of a decision: GET, decide in Java, write with {@code compare-and-set.lua},
 * which applies the decision only if the entry still holds the bytes that were read; on a
 * conflict (another JVM wrote in between) read and decide again, backing off after a few tries.
 * So the decision (and any writer or entry processor in it) may run more than once.
 */
final class CompareAndSetLoop<K, V> {
  private static final byte[] NONE = new byte[0];
  /** Conflicts a decision may meet before the operation gives up. */
  private static final int MAX_ATTEMPTS = 1_000;

  private final RedissonClient client;
  private final RScript script;
  private final String cacheName;
  private final ValueCodec codec;
  private final EntryDecoder<V> decoder;
  private final RedisEvents<K, V> events;
  private final long retentionMillis;
  private final Clock clock;

  CompareAndSetLoop(RedissonClient client, String cacheName, ValueCodec codec,
      EntryDecoder<V> decoder, RedisEvents<K, V> events, long retentionMillis, Clock clock) {
    this.client = client;
    this.script = client.getScript(ByteArrayCodec.INSTANCE);
    this.cacheName = cacheName;
    this.codec = codec;
    this.decoder = decoder;
    this.events = events;
    this.retentionMillis = retentionMillis;
    this.clock = clock;
  }

  <R> R run(String redisKey, K key, EntryAction<V, R> action) {
    for (int attempt = 1; ; attempt++) {
      byte[] raw = client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE).get();
      Mutation<V> mutation = new Mutation<>();
      R result = action.apply(decoder.decode(raw, key), mutation);
      byte[] next;
      long expireAt;
      switch (mutation.kind()) {
        case KEEP -> {
          action.onCommit();
          return result;
        }
        case WRITE -> {
          expireAt = mutation.expireAt();
          next = EntryFormat.encode(codec.encode(mutation.value()), expireAt);
        }
        case TOUCH -> {
          if (raw == null) {
            action.onCommit();
            return result;
          }
          expireAt = mutation.expireAt();
          next = EntryFormat.withExpireAt(raw, expireAt);
        }
        default -> {
          expireAt = 0;
          next = NONE;
        }
      }
      if (compareAndSet(redisKey, raw, next, expireAt, action)) {
        action.onCommit();
        return result;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new CacheException("Gave up on a key of cache '" + cacheName + "' after "
            + attempt + " conflicting concurrent updates");
      }
      backOff(attempt);
    }
  }

  private static void backOff(int attempt) {
    if (attempt > 3) {
      long maxMicros = Math.min(1_000, 10L << Math.min(attempt, 10));
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros) * 1_000);
    } else {
      Thread.onSpinWait();
    }
  }

  @SuppressWarnings("unchecked")
  private boolean compareAndSet(String redisKey, byte[] expected, byte[] next, long expireAt,
      EntryAction<V, ?> action) {
    byte[] channel = NONE;
    byte[] message = NONE;
    String listened = events.channelIfListened();
    if (listened != null && action instanceof EventSource<?, ?> source
        && !source.events().isEmpty()) {
      channel = listened.getBytes(StandardCharsets.UTF_8);
      message = events.encode(((EventSource<K, V>) source).events());
    }
    Long applied = script.eval(redisKey, RScript.Mode.READ_WRITE,
        LuaScript.COMPARE_AND_SET.source(), RScript.ReturnType.LONG,
        List.of(redisKey), expected == null ? NONE : expected, next, ttlArgument(expireAt),
        channel, message);
    return applied != null && applied == 1L;
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
