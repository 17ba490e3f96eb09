package io.github.cachelayer.redis.store;

import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.redis.outage.RedisFailures;
import io.github.cachelayer.store.Store.Lease;
import java.time.Duration;
import java.util.List;
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

  private final RedisLink link;
  private final String cacheName;

  LoadLease(RedisLink link, String cacheName) {
    this.link = link;
    this.cacheName = cacheName;
  }

  Lease acquire(String leaseKey) {
    String token = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + 2 * LEASE.toNanos();
    // Sent once: a SET NX whose first attempt ran would, sent again, answer that someone else
    // holds the lease (this caller's own), and it would wait for its own lease to lapse.
    Boolean taken = link.call(leaseKey, RedisLink.Resend.NEVER, RedisCommands.SET_BOOLEAN,
        StringCodec.INSTANCE, leaseKey, token, "NX", "PX", LEASE.toMillis());
    if (Boolean.TRUE.equals(taken)) {
      return () -> RedisFailures.guard(cacheName, () -> {
        link.eval(LuaScript.COMPARE_AND_DELETE.script(), RedisLink.Resend.AFTER_FENCE,
            List.of(leaseKey), token);
      });
    }
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
      Boolean exists = link.call(leaseKey, RedisLink.Resend.ALWAYS, RedisCommands.EXISTS,
          StringCodec.INSTANCE, leaseKey);
      if (!Boolean.TRUE.equals(exists)) {
        break; // the holder has written (or failed): read again, load if still absent
      }
    }
    return Lease.NONE;
  }
}
