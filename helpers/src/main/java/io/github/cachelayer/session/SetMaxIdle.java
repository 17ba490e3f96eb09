package io.github.cachelayer.session;

import java.io.Serializable;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * Gives a session an idle timeout of its own (0: none) and extends it. Runs the general way on
 * every provider (it is rare next to reads).
 *
 * @param maxIdleMillis the new timeout
 * @param now epoch milliseconds of the session manager's clock
 */
record SetMaxIdle(long maxIdleMillis, long now)
    implements EntryProcessor<String, Session, Session>, Serializable {

  @Override
  public Session process(MutableEntry<String, Session> entry, Object... arguments) {
    return SessionUpdate.apply(entry, now, session -> session.withMaxIdle(maxIdleMillis, now));
  }
}
