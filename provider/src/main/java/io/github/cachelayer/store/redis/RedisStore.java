package io.github.cachelayer.store.redis;

import io.github.cachelayer.codec.CodecException;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.Mutation;
import io.github.cachelayer.store.Store;
import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.util.Clock;
import io.github.cachelayer.internal.redisson.api.RScript;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's entries in Redis: one string key per entry ({@link KeyNames}, {@link EntryFormat}),
 * with Redis's own TTL set to the logical expiry time plus a retention margin, so that entries
 * nobody reads again are reclaimed by Redis itself, and a reader within the margin can still
 * report them as EXPIRED.
 *
 * <p>{@link #compute} reads the entry (GET), runs the action locally and writes its decision with
 * the {@code compare-and-set} script, which applies it only if the entry still holds the bytes
 * that were read; on a conflict (another JVM wrote in between) it reads and decides again. So
 * every decision is atomic across JVMs, entry processors included.
 *
 * <p>A value that cannot be decoded (a class changed incompatibly, or is not on the allow-list)
 * is treated as absent, with one WARN naming cache and key, or throws, as configured; writes over
 * it still compare against its real bytes.
 */
public final class RedisStore<K, V> implements Store<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  private static final byte[] NONE = new byte[0];
  /** Conflicts a decision may meet before the operation gives up. */
  private static final int MAX_ATTEMPTS = 1_000;

  private final RedissonClient client;
  private final RScript script;
  private final String cacheName;
  private final KeyNames keys;
  private final ValueCodec codec;
  private final boolean missOnDecodeFailure;
  private final long retentionMillis;
  private final Clock clock;

  public RedisStore(RedissonClient client, String namespace, String cacheName, ValueCodec codec,
      boolean missOnDecodeFailure, long retentionMillis, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.script = client.getScript(ByteArrayCodec.INSTANCE);
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.keys = new KeyNames(namespace, cacheName, codec);
    this.missOnDecodeFailure = missOnDecodeFailure;
    this.retentionMillis = retentionMillis;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public <R> R compute(K key, EntryAction<V, R> action) {
    String redisKey = keys.redisKey(key);
    for (int attempt = 1; ; attempt++) {
      byte[] raw = read(redisKey);
      StoredEntry<V> current = decode(raw, key);
      Mutation<V> mutation = new Mutation<>();
      R result = action.apply(current, mutation);
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
      if (compareAndSet(redisKey, raw, next, expireAt)) {
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

  private byte[] read(String redisKey) {
    return client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE).get();
  }

  private boolean compareAndSet(String redisKey, byte[] expected, byte[] next, long expireAt) {
    Long applied = script.eval(redisKey, RScript.Mode.READ_WRITE,
        LuaScript.COMPARE_AND_SET.source(), RScript.ReturnType.LONG,
        List.of(redisKey), expected == null ? NONE : expected, next, ttlArgument(expireAt));
    return applied != null && applied == 1L;
  }

  /** Redis's TTL: until the logical expiry plus the retention margin; '0' means none. */
  private byte[] ttlArgument(long expireAt) {
    if (expireAt == StoredEntry.ETERNAL || expireAt == 0) {
      return "0".getBytes(StandardCharsets.US_ASCII);
    }
    long ttl = Math.max(1, expireAt - clock.millis() + retentionMillis);
    return Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
  }

  @SuppressWarnings("unchecked")
  private StoredEntry<V> decode(byte[] raw, Object key) {
    if (raw == null) {
      return null;
    }
    try {
      if (!EntryFormat.isValid(raw)) {
        throw new CodecException("not a CacheLayer entry (foreign or newer format)");
      }
      V value = (V) codec.decode(EntryFormat.payload(raw));
      return new StoredEntry<>(value, EntryFormat.expireAt(raw));
    } catch (CodecException | IllegalArgumentException e) {
      if (!missOnDecodeFailure) {
        throw new CodecException("Cannot decode the value of key '" + key + "' in cache '"
            + cacheName + "': " + e.getMessage(), e);
      }
      LOG.warn("Cache '{}': the value of key '{}' cannot be decoded and is treated as absent: {}",
          cacheName, key, e.getMessage());
      return null;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public StoredEntry<V> peek(K key) {
    StoredEntry<V> entry = decode(read(keys.redisKey(key)), key);
    return entry == null || entry.isExpired(clock.millis()) ? null : entry;
  }

  /** SCAN with this cache's own pattern on every master: never KEYS, never other caches' keys. */
  @Override
  @SuppressWarnings("unchecked")
  public Iterator<K> keys() {
    List<K> result = new ArrayList<>();
    for (String redisKey : scan()) {
      try {
        result.add((K) keys.cacheKey(redisKey));
      } catch (RuntimeException e) {
        LOG.warn("Cache '{}': skipping key {} that cannot be decoded: {}", cacheName, redisKey,
            e.getMessage());
      }
    }
    return result.iterator();
  }

  private List<String> scan() {
    return client.getKeys().getKeysStreamByPattern(keys.pattern(), 1_000)
        .collect(Collectors.toList());
  }

  @Override
  public void clear() {
    List<String> all = scan();
    for (int from = 0; from < all.size(); from += 1_000) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + 1_000));
      client.getKeys().unlink(batch.toArray(String[]::new));
    }
  }

  @Override
  public long estimatedSize() {
    return scan().size();
  }

  @Override
  public void close() {
    // The client belongs to the CacheManager; the entries stay in Redis.
  }

  @Override
  public String toString() {
    return "RedisStore[" + keys.prefix() + "]";
  }
}
