package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.store.StoredEntry;

/**
 * The bytes of one entry in Redis: a format byte ({@code '1'}), the logical expiry time as 13
 * ASCII digits (epoch milliseconds; all nines for eternal), then the codec's payload. ASCII so
 * that {@code redis-cli GET} shows when an entry expires, and the Lua scripts read it with
 * {@code tonumber(string.sub(v, 2, 14))}.
 */
final class EntryFormat {
  static final byte VERSION = '1';
  static final int HEADER = 14;
  /** 9999999999999 ms is in the year 2286: any later time is stored as eternal. */
  static final long ETERNAL_DIGITS = 9_999_999_999_999L;

  private EntryFormat() {}

  /** The entry of a value: its codec's bytes with {@link #HEADER} bytes of room in front. */
  static byte[] encode(ValueCodec codec, Object value, String redisKey, long expireAt) {
    byte[] bytes = codec.encode(value, redisKey, HEADER);
    bytes[0] = VERSION;
    writeExpireAt(bytes, expireAt);
    return bytes;
  }

  /** The same entry with another expiry time. */
  static byte[] withExpireAt(byte[] bytes, long expireAt) {
    byte[] copy = bytes.clone();
    writeExpireAt(copy, expireAt);
    return copy;
  }

  private static void writeExpireAt(byte[] bytes, long expireAt) {
    long digits = expireAt >= ETERNAL_DIGITS ? ETERNAL_DIGITS : Math.max(0, expireAt);
    for (int i = HEADER - 1; i >= 1; i--) {
      bytes[i] = (byte) ('0' + digits % 10);
      digits /= 10;
    }
  }

  static boolean isValid(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER && bytes[0] == VERSION;
  }

  static long expireAt(byte[] bytes) {
    long value = 0;
    for (int i = 1; i < HEADER; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new IllegalArgumentException("not a CacheLayer entry header");
      }
      value = value * 10 + digit;
    }
    return value == ETERNAL_DIGITS ? StoredEntry.ETERNAL : value;
  }
}
