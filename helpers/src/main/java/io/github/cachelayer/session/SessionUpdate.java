package io.github.cachelayer.session;

import java.util.function.UnaryOperator;
import javax.cache.processor.MutableEntry;

/** The shared step of the session processors: no session, an ended one, or a changed one. */
final class SessionUpdate {
  private SessionUpdate() {}

  static Session apply(MutableEntry<String, Session> entry, long now,
      UnaryOperator<Session> change) {
    if (!entry.exists()) {
      return null;
    }
    Session session = entry.getValue();
    if (session.isEndedAt(now)) {
      entry.remove();
      return null;
    }
    Session changed = change.apply(session);
    entry.setValue(changed);
    return changed;
  }
}
