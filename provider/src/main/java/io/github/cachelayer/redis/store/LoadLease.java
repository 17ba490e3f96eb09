package io.github.cachelayer.redis.store;

import io.github.cachelayer.internal.redisson.client.codec.StringCodec;
import io.github.cachelayer.internal.redisson.client.protocol.RedisCommands;
import io.github.cachelayer.redis.link.CallBudget;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.redis.outage.RedisFailures;
import io.github.cachelayer.store.Store.Lease;
import io.github.cachelayer.util.Background;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One load per key across JVMs: {@code SET <ns>::lease:<cache>:<key> <token> NX PX <lease>}; the
 * holder loads, the others poll until the lease is gone (released, or lapsed because its holder
 * died) and then take it in turn, finding what the holder wrote or loading if it failed. Released
 * with a compare-and-delete, so a late holder never frees another's. A holder still loading
 * renews its lease every third of it (compare-and-expire), up to two lease times in all, so that
 * a slow load is not done twice; a holder that died stops renewing and its lease lapses. No
 * caller waits longer than two lease times in all: then it loads without the lease.
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

  /**
   * The key's lease, or {@link Lease#NONE} when its holder is stuck past two lease times. A
   * caller that waited takes the lease itself once the holder is gone, so that after a holder's
   * failure exactly one of the waiters loads (the others find its value, or wait for it).
   */
  Lease acquire(String leaseKey) {
    String token = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + 2 * LEASE.toNanos();
    while (true) {
      // Sent once: a SET NX whose first attempt ran would, sent again, answer that someone else
      // holds the lease (this caller's own), and it would wait for its own lease to lapse.
      Boolean taken = link.call(leaseKey, RedisLink.Resend.NEVER, RedisCommands.SET_BOOLEAN,
          StringCodec.INSTANCE, leaseKey, token, "NX", "PX", LEASE.toMillis());
      if (Boolean.TRUE.equals(taken)) {
        ScheduledFuture<?> renewal = renewWhileHeld(leaseKey, token);
        return () -> {
          renewal.cancel(false);
          RedisFailures.guard(cacheName, () -> {
            link.eval(LuaScript.COMPARE_AND_DELETE.script(), RedisLink.Resend.AFTER_FENCE,
                List.of(leaseKey), token);
          });
        };
      }
      if (!awaitGone(leaseKey, deadline)) {
        return Lease.NONE;
      }
    }
  }

  /**
   * Renews the lease every third of it until it is released, lost to another holder, or held for
   * two lease times (waiters stop waiting then anyway). A renewal Redis does not answer is tried
   * at the next period; the lease lapses if none gets through.
   */
  private ScheduledFuture<?> renewWhileHeld(String leaseKey, String token) {
    long period = LEASE.toMillis() / 3;
    // The last renewal, one lease time after taking it, runs the lease to two lease times.
    long lastRenewal = System.nanoTime() + LEASE.toNanos();
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    ScheduledFuture<?> renewal = Background.every(() -> {
      try (CallBudget.Scope scope = CallBudget.open(link.settings().boundNanos())) {
        Object renewed = link.eval(LuaScript.COMPARE_AND_EXPIRE.script(),
            RedisLink.Resend.ALWAYS, List.of(leaseKey), token, LEASE.toMillis());
        if (!Long.valueOf(1).equals(renewed) || System.nanoTime() - lastRenewal >= 0) {
          self.get().cancel(false); // lost, or renewed for the last time
        }
      } catch (RuntimeException unanswered) {
        // Tried again at the next period.
      }
    }, period, period, TimeUnit.MILLISECONDS);
    self.set(renewal);
    return renewal;
  }

  /** Whether the lease was released or lapsed before the deadline. */
  private boolean awaitGone(String leaseKey, long deadline) {
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
      Boolean exists = link.call(leaseKey, RedisLink.Resend.ALWAYS, RedisCommands.EXISTS,
          StringCodec.INSTANCE, leaseKey);
      if (!Boolean.TRUE.equals(exists)) {
        return true;
      }
    }
    return false;
  }
}
