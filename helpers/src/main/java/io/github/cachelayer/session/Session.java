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
  private final Map<String, Object> attributes;

  private Session(String id, String userId, long createdAt, long lastAccessedAt, long expiresAt,
      Map<String, Object> attributes) {
    this.id = Objects.requireNonNull(id, "id");
    this.userId = Objects.requireNonNull(userId, "userId");
    this.createdAt = createdAt;
    this.lastAccessedAt = lastAccessedAt;
    this.expiresAt = expiresAt;
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
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    attributes.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "attribute name"),
        Objects.requireNonNull(value, () -> "the value of attribute '" + name + "' is null")));
    return new Session(id, userId, createdAt, lastAccessedAt, expiresAt, copy);
  }

  public String id() {
    return id;
  }

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

  /** This session read at {@code now}: the last access moves forward, never back. */
  Session accessedAt(long now) {
    return new Session(id, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        new LinkedHashMap<>(attributes));
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
    return new Session(id, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt, merged);
  }

  /** The same session under a new id (after a login: session-fixation defence). */
  Session withId(String newId, long now) {
    return new Session(newId, userId, createdAt, Math.max(lastAccessedAt, now), expiresAt,
        new LinkedHashMap<>(attributes));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Session session && session.id.equals(id)
        && session.userId.equals(userId) && session.createdAt == createdAt
        && session.lastAccessedAt == lastAccessedAt && session.expiresAt == expiresAt
        && session.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, userId, createdAt, lastAccessedAt, expiresAt, attributes);
  }

  @Override
  public String toString() {
    return "Session[" + SessionIds.abbreviate(id) + ", user " + userId + ", " + attributes.size()
        + " attributes, last access " + lastAccessedAt() + ", expires by " + expiresAt() + "]";
  }
}
