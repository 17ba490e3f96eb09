package io.github.cachelayer.redis.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.RedisUnavailableException;
import io.github.cachelayer.internal.redisson.client.RedisException;
import io.github.cachelayer.internal.redisson.client.RedisTimeoutException;
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

  /** Opens {@code breaker}: calls without an answer, as many as it takes. */
  private static void open(CircuitBreaker breaker, int failures) {
    for (int i = 0; i < failures; i++) {
      assertThrows(RedisUnavailableException.class, () -> RedisFailures.guard("c", breaker, () -> {
        throw new RedisTimeoutException("no answer");
      }));
    }
  }

  /**
   * A call the open breaker refused sent nothing: its failure says nothing new about what Redis
   * holds (no recent writes to settle for it); a timed-out call's failure does, as of the moment
   * the link gave up on it.
   */
  @Test
  void aRefusalOfTheBreakerReachedNoRedis() {
    CircuitBreaker breaker = new CircuitBreaker(1, 60_000);
    RedisUnavailableException timedOut = assertThrows(RedisUnavailableException.class,
        () -> RedisFailures.guard("c", breaker, () -> {
          throw new RedisTimeoutException("no answer");
        }));
    assertTrue(RedisFailures.mayHaveReachedRedis(timedOut));
    RedisUnavailableException refused = assertThrows(RedisUnavailableException.class,
        () -> RedisFailures.guard("c", breaker, () -> "never runs"));
    assertTrue(refused.getMessage().contains("circuit breaker open"), refused.getMessage());
    assertFalse(RedisFailures.mayHaveReachedRedis(refused));
    assertTrue(RedisFailures.noticedNanos(timedOut) - RedisFailures.noticedNanos(refused) <= 0);
  }

  /**
   * The probe after an open period may need an inner guarded step (settling keys clears the
   * cache): the breaker admitted the probe, so the inner step runs, and the probe's success
   * closes the breaker. Asked again, the breaker refused its own probe and never closed.
   */
  @Test
  void aProbesInnerStepIsNotRefusedByTheBreakerThatAdmittedIt() throws Exception {
    CircuitBreaker breaker = new CircuitBreaker(3, 50);
    open(breaker, 3);
    assertTrue(breaker.isOpen());
    Thread.sleep(80);
    String answer = RedisFailures.guard("c", breaker,
        () -> RedisFailures.guard("c", breaker, () -> "inner step ran"));
    assertEquals("inner step ran", answer);
    assertFalse(breaker.isOpen(), "the probe's success closes the breaker");
  }

  /**
   * A call failed because Redis did not answer what it needed (another thread's settling) is no
   * answer: counted as one, it kept an open breaker from ever holding calls back.
   */
  @Test
  void aFailureForWantOfAnotherCallsAnswerCountsAsNoAnswer() {
    CircuitBreaker breaker = new CircuitBreaker(3, 60_000);
    for (int i = 0; i < 3; i++) {
      assertThrows(RedisUnavailableException.class, () -> RedisFailures.guard("c", breaker, () -> {
        throw new RedisUnavailableException("Redis did not answer the settling", null);
      }));
    }
    assertTrue(breaker.isOpen(), "three calls without an answer open the breaker");
  }
}
