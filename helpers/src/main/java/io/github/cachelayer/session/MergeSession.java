package io.github.cachelayer.session;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * A session update: {@code changes} merged into the attributes (a null value removes one) and
 * the session extended, atomically, so that two JVMs updating one session lose neither change.
 * CacheLayer's Redis store runs it as {@code session.lua} (one round trip).
 */
public final class MergeSession
    implements EntryProcessor<String, Session, Session>, Serializable {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, Object> changes;
  private final long now;

  /**
   * @param changes attribute name to new value, or to null to remove it; copied, order kept
   * @param now epoch milliseconds of the session manager's clock
   */
  public MergeSession(Map<String, ?> changes, long now) {
    this.changes = new LinkedHashMap<>();
    changes.forEach((name, value) -> this.changes.put(
        Objects.requireNonNull(name, "attribute name"), value));
    this.now = now;
  }

  /** The changes, in order; a null value removes the attribute. */
  public Map<String, Object> changes() {
    return Collections.unmodifiableMap(changes);
  }

  public long now() {
    return now;
  }

  @Override
  public Session process(MutableEntry<String, Session> entry, Object... arguments) {
    return SessionUpdate.apply(entry, now, session -> session.mergedAt(changes, now));
  }
}
