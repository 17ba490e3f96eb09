package io.github.cachelayer.redis.link;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this Redis lets the link fence connections, learned from its answers and said once: a
 * user without {@code client|kill} (or {@code client|id}) gets a WARN, and the link then relies
 * on resetting a connection it stops using, which does not stop bytes a proxy holds.
 */
final class Fencing {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private volatile boolean killAllowed = true;
  private final AtomicBoolean warnedKill = new AtomicBoolean();
  private final AtomicBoolean warnedId = new AtomicBoolean();

  boolean killAllowed() {
    return killAllowed;
  }

  void killRefused(Throwable reply) {
    killAllowed = false;
    if (warnedKill.compareAndSet(false, true)) {
      LOG.warn("Redis refused CLIENT KILL ({}): a connection that stops answering is reset and "
          + "replaced, but cannot be killed on the server, so a write held up in a proxy between "
          + "this client and Redis could still run after a later one; allow the user "
          + "+client|kill to close that gap", errorLine(reply));
    }
  }

  void cannotIdentify(Throwable reply) {
    if (warnedId.compareAndSet(false, true)) {
      LOG.warn("Redis refused CLIENT ID ({}): connections cannot be killed on the server when "
          + "they stop answering, only reset; allow the user +client|id and +client|kill",
          errorLine(reply));
    }
  }

  /** The server's error line, without the client's command and channel dump. */
  static String errorLine(Throwable reply) {
    String message = String.valueOf(reply.getMessage());
    int dump = message.indexOf(". channel:");
    return dump > 0 ? message.substring(0, dump) : message;
  }
}
