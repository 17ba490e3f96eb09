package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.internal.redisson.client.RedisException;
import java.nio.channels.ClosedChannelException;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** Which of the client's failures are outages (the outage policy answers) and which errors. */
class RedisFailuresTest {
  @Test
  void aFailureInsideTheClientIsAnOutageNotAnErrorReply() {
    // What the client throws when its transport fails under a command (a cluster failover).
    RedisException wrapped = new RedisException("Unexpected exception while processing command",
        new ClosedChannelException());
    RedisUnavailableException thrown = assertThrows(RedisUnavailableException.class,
        () -> RedisFailures.guard("c", () -> {
          throw wrapped;
        }));
    assertTrue(thrown.getMessage().contains("failed in the Redis client")
        && thrown.getMessage().contains("ClosedChannelException"), thrown.getMessage());
    assertFalse(thrown.getMessage().contains("answered with an error"), thrown.getMessage());
  }

  @Test
  void anErrorReplyStaysAnError() {
    RedisException reply = new RedisException(
        "WRONGTYPE Operation against a key holding the wrong kind of value. channel: [id: 1]");
    CacheException thrown = assertThrows(CacheException.class,
        () -> RedisFailures.guard("c", () -> {
          throw reply;
        }));
    assertEquals(CacheException.class, thrown.getClass());
    assertTrue(thrown.getMessage().contains("answered with an error: WRONGTYPE"),
        thrown.getMessage());
  }
}
