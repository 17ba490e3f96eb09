package io.github.cachelayer.session;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One user's session: who, since when, until when at the latest, and its attributes. Immutable:
 * the {@link SessionManager} stores a new one on every change. CacheLayer's Redis store keeps it
 * in a layout its script can update on the server (ids and times as text, each attribute value
 * through the cache's codec), so a read that extends it and a merge are one round trip each.
 *
 * <p>{@link #toString} shows only the start of the id: a full id is a credential.
 */
public final class Session implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String userId;
  private final long createdAt;
  private final long lastAccessedAt;
  private final long expiresAt;
  /** Its own idle timeout in milliseconds, or 0: the cache's expiry alone ends it when idle. */
  private final long maxIdleMillis;
  private final Map<String, Object> attributes;

  private Session(String id, String userId, long createdAt, long lastAccessedAt, long expiresAt,
      long maxIdleMillis, Map<String, Object> attributes) {
    this.id = Objects.requireNonNull(id, "id");
    this.userId = Objects.requireNonNull(userId, "userId");
    this.createdAt = createdAt;
    this.lastAccessedAt = lastAccessedAt;
    this.expiresAt = expiresAt;
    if (maxIdleMillis < 0) {
      throw new IllegalArgumentException("maxIdleMillis must not be negative: " + maxIdleMillis);
    }
    this.maxIdleMillis = maxIdleMillis;
    this.attributes = Collections.unmodifiableMap(attributes);
  }

  /**
   * A session as stored: for the session manager and for a store that keeps sessions in its own
   * layout. Attribute values must not be null.
   *
   * @param createdAt epoch milliseconds
   * @param lastAccessedAt epoch milliseconds
   * @param expiresAt the absolute end of its life, epoch milliseconds
   */
  public static Session of(String id, String userId, long createdAt, long lastAccessedAt,
      long expiresAt, Map<String, ?> attributes) {
    return of(id, userId, createdAt, lastAccessedAt, expiresAt, 0, attributes);
  }

  /**
   * {@link #of(String, String, long, long, long, Map)} with an idle timeout of its own.
   *
   * @param maxIdleMillis idle longer than this (since the last access) ends it; 0: only the
   *     cache's expiry does
   */
  public static Session of(String id, String userId, long createdAt, long lastAccessedAt,
      long expiresAt, long maxIdleMillis, Map<String, ?> attributes) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    attributes.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "attribute name"),
        Objects.requireNonNull(value, () -> "the value of attribute '" + name + "' is null")));
    return new Session(id, userId, createdAt, lastAccessedAt, expiresAt, maxIdleMillis, copy);
  }

  public String id() {
    return id;
  }

  /** Its user, or {@code ""} for a session that has none yet. */
  public String userId() {
    return userId;
  }

  public Instant createdAt() {
    return Instant.ofEpochMilli(createdAt);
  }

  public Instant lastAccessedAt() {
    return Instant.ofEpochMilli(lastAccessedAt);
  }

  /** The absolute end of the session's life, however active it stays. */
  public Instant expiresAt() {
    return Instant.ofEpochMilli(expiresAt);
  }

  public long createdAtMillis() {
    return createdAt;
  }

  public long lastAccessedAtMillis() {
    return lastAccessedAt;
  }

  public long expiresAtMillis() {
    return expiresAt;
  }

  /**
   * Its own idle timeout in milliseconds, or 0 when it has none (the session cache's expiry, the
   * manager's idle timeout, ends it when idle). It can only shorten that: the cache's entry
   * expires by the manager's idle timeout whatever the session says.
   */
  public long maxIdleMillis() {
    return maxIdleMillis;
  }

  /** The attributes, in the order they were first set; unmodifiable. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  public Object attribute(String name) {
    return attributes.get(name);
  }

  /** Whether the absolute lifetime is over at {@code now}. */
  public boolean isOverAt(long now) {
    return now >= expiresAt;
  }

  /** Whether it has an idle timeout of its own and was idle that long at {@code now}. */
  public boolean isIdleAt(long now) {
    return maxIdleMillis > 0 && now - lastAccessedAt >= maxIdleMillis;
  }

  /** Whether it ended by {@code now}: its lifetime over, or idle past its own timeout. */
  public boolean isEndedAt(long now) {
    return isOverAt(now) || isIdleAt(now);
  }

  /** This session read at {@code now}: the last access moves forward, never back. */
  Session accessedAt(long now) {
    return new Session(id, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        maxIdleMillis, new LinkedHashMap<>(attributes));
  }

  /**
   * This session with {@code changes} merged in (a null value removes the attribute), read at
   * {@code now}. Changed attributes keep their place; new ones come last.
   */
  Session mergedAt(Map<String, ?> changes, long now) {
    LinkedHashMap<String, Object> merged = new LinkedHashMap<>(attributes);
    changes.forEach((name, value) -> {
      if (value == null) {
        merged.remove(name);
      } else {
        merged.put(name, value);
      }
    });
    return new Session(id, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        maxIdleMillis, merged);
  }

  /** The same session with another idle timeout of its own (0: none), read at {@code now}. */
  Session withMaxIdle(long newMaxIdleMillis, long now) {
    return new Session(id, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        newMaxIdleMillis, new LinkedHashMap<>(attributes));
  }

  /** The same session of another user ({@code ""}: none), read at {@code now}. */
  Session withUser(String newUserId, long now) {
    return new Session(id, newUserId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        maxIdleMillis, new LinkedHashMap<>(attributes));
  }

  /** The same session under a new id (after a login: session-fixation defence). */
  Session withId(String newId, long now) {
    return new Session(newId, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        maxIdleMillis, new LinkedHashMap<>(attributes));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Session session && session.id.equals(id)
        && session.userId.equals(userId) && session.createdAt == createdAt
        && session.lastAccessedAt == lastAccessedAt && session.expiresAt == expiresAt
        && session.maxIdleMillis == maxIdleMillis && session.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, userId, createdAt, lastAccessedAt, expiresAt, maxIdleMillis,
        attributes);
  }

  @Override
  public String toString() {
    return "Session[" + SessionIds.abbreviate(id) + ", user " + userId + ", " + attributes.size()
        + " attributes, last access " + lastAccessedAt() + ", expires by " + expiresAt() + "]";
  }
}
