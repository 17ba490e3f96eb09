package io.github.cachelayer.redis.link;

import io.github.cachelayer.internal.redisson.client.RedisConnectionException;
import io.github.cachelayer.internal.redisson.client.RedisTimeoutException;

/**
 * The failures of a command that Redis did not answer. Both say that the command may or may not
 * have run; they extend the client's own types, which {@code RedisFailures} already reads as
 * "Redis did not answer" (an outage, a breaker failure).
 */
final class NoAnswer {
  private NoAnswer() {}

  /**
   * When the link found that Redis did not answer {@code failure}'s command (a failure made for
   * every command of a retired connection carries the moment it was retired); the present
   * moment for any other failure. The thread that meets the failure may run much later.
   */
  static long noticedNanos(Throwable failure) {
    if (failure instanceof TimedOut timedOut) {
      return timedOut.noticedNanos;
    }
    if (failure instanceof ConnectionEnded ended) {
      return ended.noticedNanos;
    }
    return System.nanoTime();
  }

  /** No answer within the command's timeout (or the call's budget ran out). */
  static final class TimedOut extends RedisTimeoutException {
    private static final long serialVersionUID = 1L;
    final long noticedNanos = System.nanoTime();

    TimedOut(String message) {
      super(message);
    }
  }

  /** The connection ended (closed, reset, replaced) before the answer came. */
  static final class ConnectionEnded extends RedisConnectionException {
    private static final long serialVersionUID = 1L;
    final long noticedNanos = System.nanoTime();

    ConnectionEnded(String message) {
      super(message);
    }
  }

  /**
   * The command never left this process (the connection was closed or replaced before it was
   * written): it did not run, so it may be sent again whatever it does.
   */
  static final class NotSent extends RedisConnectionException {
    private static final long serialVersionUID = 1L;

    NotSent(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** No connection to the node could be opened within the budget. */
  static final class Unreachable extends RedisConnectionException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
