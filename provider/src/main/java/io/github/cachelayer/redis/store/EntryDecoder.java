package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.CodecException;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.store.StoredEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what Redis holds into entries. A value that cannot be decoded (a class changed
 * incompatibly, or is not on the allow-list, or foreign bytes) is a miss with one WARN per key,
 * or a {@link CodecException}, as the cache is configured. Bytes in Redis may be anyone's: a
 * value larger than {@code codec.max-value-size} is not decoded at all, and a decoded value that
 * is not of the cache's value type is not handed out as if it were.
 */
final class EntryDecoder<V> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  /** Shown to an action that said it does not read the previous value. */
  private static final Object UNREAD = new Object() {
    @Override
    public String toString() {
      return "<previous value not read>";
    }
  };

  private final String cacheName;
  private final ValueCodec codec;
  private final boolean missOnDecodeFailure;
  /** Names the place a value was read from, for a codec that binds values to it. */
  private final KeyNames keys;
  private final long maxValueSize;
  /** The cache's value type; Object when it has none. */
  private final Class<?> valueType;
  /** Keys whose undecodable value was already reported, bounded in number and time. */
  private final com.github.benmanes.caffeine.cache.Cache<Object, Boolean> warnedKeys =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
          .expireAfterWrite(java.time.Duration.ofHours(1)).build();

  EntryDecoder(String cacheName, ValueCodec codec, KeyNames keys, boolean missOnDecodeFailure,
      long maxValueSize, Class<?> valueType) {
    this.cacheName = cacheName;
    this.keys = keys;
    this.codec = codec;
    this.missOnDecodeFailure = missOnDecodeFailure;
    this.maxValueSize = maxValueSize;
    this.valueType = valueType;
  }

  /** A stored entry (header and payload), or null for none or an undecodable one. */
  StoredEntry<V> decode(byte[] raw, Object key) {
    if (raw == null) {
      return null;
    }
    if (!EntryFormat.isValid(raw)) {
      return undecodable(key,
          new CodecException("not a CacheLayer entry (foreign or newer format)"));
    }
    V value = payload(raw, EntryFormat.HEADER, key);
    return value == null ? null : new StoredEntry<>(value, EntryFormat.expireAt(raw));
  }

  /**
   * The entry a script found, from its payload and expiry; a stand-in value when the script was
   * told not to return the payload (the decision does not read it).
   */
  @SuppressWarnings("unchecked")
  StoredEntry<V> preImage(Object key, byte[] payload, long expireAt) {
    if (payload.length == 0) {
      return new StoredEntry<>((V) UNREAD, expireAt);
    }
    V value = payload(payload, 0, key);
    return value == null ? null : new StoredEntry<>(value, expireAt);
  }

  @SuppressWarnings("unchecked")
  private V payload(byte[] bytes, int offset, Object key) {
    Object shown = codec.keyIsSecret(bytes, offset) ? abbreviated(key) : key;
    if (bytes.length - offset > maxValueSize) {
      undecodable(shown, new CodecException("the value takes " + (bytes.length - offset)
          + " bytes, over codec.max-value-size (" + maxValueSize + " bytes)"));
      return null;
    }
    Object value;
    try {
      value = codec.bindsPlace() ? codec.decode(bytes, offset, keys.redisKey(key))
          : codec.decode(bytes, offset);
    } catch (CodecException | IllegalArgumentException e) {
      undecodable(shown, e);
      return null;
    }
    if (value != null && !valueType.isInstance(value)) {
      undecodable(shown, new CodecException("it holds a " + value.getClass().getName()
          + ", not a " + valueType.getName() + " as the cache's values are"));
      return null;
    }
    return (V) value;
  }

  /** A session's key is its id, a credential: logs and messages show only its start. */
  private static String abbreviated(Object key) {
    String text = String.valueOf(key);
    return text.substring(0, Math.min(6, text.length())) + "…";
  }

  private StoredEntry<V> undecodable(Object key, RuntimeException e) {
    if (!missOnDecodeFailure) {
      throw new CodecException("Cannot decode the value of key '" + key + "' in cache '"
          + cacheName + "': " + e.getMessage(), e);
    }
    // One WARN per key: during a rolling deploy the same values are read again and again.
    if (warnedKeys.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
      LOG.warn("Cache '{}': the value of key '{}' cannot be decoded and is treated as absent "
          + "(logged once per key): {}", cacheName, key, e.getMessage());
    }
    return null;
  }
}
