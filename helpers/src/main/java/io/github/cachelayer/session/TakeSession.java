package io.github.cachelayer.session;

import java.io.Serializable;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * Removes a session and answers it, if it was live at {@code now} (an ended one, past its
 * lifetime or idle past its own timeout, is removed and answers null): one caller wins a logout or an id regeneration.
 */
record TakeSession(long now) implements EntryProcessor<String, Session, Session>, Serializable {

  @Override
  public Session process(MutableEntry<String, Session> entry, Object... arguments) {
    if (!entry.exists()) {
      return null;
    }
    Session session = entry.getValue();
    entry.remove();
    return session.isEndedAt(now) ? null : session;
  }
}
