package io.github.cachelayer.session;

import java.io.Serializable;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * Gives a session another user ({@code ""}: none) and extends it, atomically with its other
 * changes. Runs the general way on every provider (a sign-in is rare next to reads).
 *
 * @param userId the new user
 * @param now epoch milliseconds of the session manager's clock
 */
record AssignUser(String userId, long now)
    implements EntryProcessor<String, Session, Session>, Serializable {

  @Override
  public Session process(MutableEntry<String, Session> entry, Object... arguments) {
    return SessionUpdate.apply(entry, now, session -> session.withUser(userId, now));
  }
}
