package io.github.cachelayer.session;

import java.io.Serializable;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * A session read that extends it (sliding expiry): the session with its last access moved to
 * {@code now}, written back so that the cache's expiry restarts; a session past its absolute
 * lifetime is removed instead and reads as none. CacheLayer's Redis store runs it as
 * {@code session.lua} (one round trip).
 *
 * @param now epoch milliseconds of the session manager's clock
 */
public record TouchSession(long now)
    implements EntryProcessor<String, Session, Session>, Serializable {

  @Override
  public Session process(MutableEntry<String, Session> entry, Object... arguments) {
    return SessionUpdate.apply(entry, now, session -> session.accessedAt(now));
  }
}
