package io.github.cachelayer.store.redis;

import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.store.Store.Lease;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * One load per key across JVMs: {@code SET <ns>::lease:<cache>:<key> <token> NX PX <lease>}; the
 * holder loads, the others poll until the lease is gone (released, or lapsed because its holder
 * died) and then read what the holder wrote. Released with a compare-and-delete, so a late holder
 * never frees another's. A holder stuck past two lease times is not waited for any longer.
 */
final class LoadLease {
  /** How long a read-through load may hold its key's lease before others stop waiting. */
  static final Duration LEASE = Duration.ofSeconds(10);
  private static final long POLL_NANOS = 5_000_000L;

  private final RedissonClient client;
  private final String cacheName;

  LoadLease(RedissonClient client, String cacheName) {
    this.client = client;
    this.cacheName = cacheName;
  }

  Lease acquire(String leaseKey) {
    String token = UUID.randomUUID().toString();
    var bucket = client.<String>getBucket(leaseKey, StringCodec.INSTANCE);
    long deadline = System.nanoTime() + 2 * LEASE.toNanos();
    if (bucket.setIfAbsent(token, LEASE)) {
      return () -> RedisFailures.guard(cacheName, () -> bucket.compareAndSet(token, null));
    }
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
      if (!bucket.isExists()) {
        break; // the holder has written (or failed): read again, load if still absent
      }
    }
    return Lease.NONE;
  }
}
