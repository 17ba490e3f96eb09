package io.github.cachelayer.redis.store;

import java.util.Objects;

/**
 * What a cache's Redis store takes from its configuration and the manager's settings.
 *
 * @param missOnDecodeFailure whether an undecodable value reads as absent (else it throws)
 * @param retentionMillis how long Redis keeps an entry past its expiry time
 * @param listenerLeaseMillis how long a JVM's listener registration lasts unless renewed
 * @param multiKeyScripts whether one script may touch keys of any slot (not in a cluster)
 * @param lostWriteWindowMillis how long before a failure an acknowledged write may still be
 *     lost by a crash or failover ({@link RecentWrites})
 * @param maxValueSize the largest value, in bytes, written or read ({@code codec.max-value-size})
 * @param keyType the cache's key type ({@code Object} when it declares none): a key of another
 *     type found in Redis (iteration) is skipped
 * @param valueType the cache's value type ({@code Object} when it declares none): a value of
 *     another type read from Redis is not handed out
 */
public record RedisStoreOptions(boolean missOnDecodeFailure, long retentionMillis,
    long listenerLeaseMillis, boolean multiKeyScripts, long lostWriteWindowMillis,
    long maxValueSize, Class<?> keyType, Class<?> valueType) {
  /** The default of {@code codec.max-value-size}: generous for a cache, and still a bound. */
  public static final long DEFAULT_MAX_VALUE_SIZE = 16L << 20;

  public RedisStoreOptions {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
  }

  /** Defaults for tests: values read as absent when undecodable, any type, 16 MiB at most. */
  public static RedisStoreOptions defaults(long retentionMillis, boolean multiKeyScripts) {
    return new RedisStoreOptions(true, retentionMillis, 30_000, multiKeyScripts, 7_000,
        DEFAULT_MAX_VALUE_SIZE, Object.class, Object.class);
  }
}
