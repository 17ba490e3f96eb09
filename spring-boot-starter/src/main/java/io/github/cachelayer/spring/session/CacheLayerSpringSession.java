package io.github.cachelayer.spring.session;

import io.github.cachelayer.session.SessionManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.session.Session;

/**
 * A Spring Session over a stored {@link io.github.cachelayer.session.Session}: what the request
 * reads, and what it changed since, which is all that {@link CacheLayerSessionRepository#save}
 * writes (merged into the stored session atomically, so two instances changing different
 * attributes at once lose neither). Not thread-safe, as Spring Session's own are not.
 *
 * <p>{@link #toString} shows only the start of the id: a full id is a credential.
 */
public final class CacheLayerSpringSession implements Session {
  private String id;
  /** The id it is stored under; differs from {@link #id} after {@link #changeSessionId()}. */
  private String storedId;
  private boolean isNew;
  private final Instant creationTime;
  private Instant lastAccessedTime;
  private Duration maxInactiveInterval;
  private boolean maxInactiveIntervalChanged;
  /** The principal it is indexed under ("" for none). */
  private String storedPrincipal;
  private final Map<String, Object> attributes;
  /** Attributes set (to a value) or removed (to null) since it was read or saved. */
  private final Map<String, Object> changes = new LinkedHashMap<>();

  private CacheLayerSpringSession(String id, boolean isNew, Instant creationTime,
      Instant lastAccessedTime, Duration maxInactiveInterval, String storedPrincipal,
      Map<String, Object> attributes) {
    this.id = id;
    this.storedId = id;
    this.isNew = isNew;
    this.creationTime = creationTime;
    this.lastAccessedTime = lastAccessedTime;
    this.maxInactiveInterval = maxInactiveInterval;
    this.storedPrincipal = storedPrincipal;
    this.attributes = attributes;
  }

  /** A session no store holds yet. */
  static CacheLayerSpringSession created(Instant now, Duration maxInactiveInterval) {
    return new CacheLayerSpringSession(SessionManager.newId(), true, now, now,
        maxInactiveInterval, "", new LinkedHashMap<>());
  }

  /** A stored session as read. */
  static CacheLayerSpringSession stored(io.github.cachelayer.session.Session stored,
      Duration maxInactiveInterval) {
    return new CacheLayerSpringSession(stored.id(), false, stored.createdAt(),
        stored.lastAccessedAt(), maxInactiveInterval, stored.userId(),
        new LinkedHashMap<>(stored.attributes()));
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public String changeSessionId() {
    id = SessionManager.newId();
    return id;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getAttribute(String attributeName) {
    return (T) attributes.get(attributeName);
  }

  @Override
  public Set<String> getAttributeNames() {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(attributes.keySet()));
  }

  @Override
  public void setAttribute(String attributeName, Object attributeValue) {
    Objects.requireNonNull(attributeName, "attributeName");
    if (attributeValue == null) {
      removeAttribute(attributeName);
      return;
    }
    attributes.put(attributeName, attributeValue);
    changes.put(attributeName, attributeValue);
  }

  @Override
  public void removeAttribute(String attributeName) {
    if (attributes.remove(attributeName) != null || !isNew) {
      changes.put(attributeName, null);
    }
  }

  @Override
  public Instant getCreationTime() {
    return creationTime;
  }

  @Override
  public void setLastAccessedTime(Instant lastAccessedTime) {
    this.lastAccessedTime = Objects.requireNonNull(lastAccessedTime, "lastAccessedTime");
  }

  @Override
  public Instant getLastAccessedTime() {
    return lastAccessedTime;
  }

  /**
   * A zero or negative interval (never time out) keeps it until its absolute lifetime or the store's
   * longest idle time, whichever comes first: see {@link CacheLayerSessionRepository}.
   */
  @Override
  public void setMaxInactiveInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (!interval.equals(maxInactiveInterval)) {
      maxInactiveInterval = interval;
      maxInactiveIntervalChanged = true;
    }
  }

  @Override
  public Duration getMaxInactiveInterval() {
    return maxInactiveInterval;
  }

  @Override
  public boolean isExpired() {
    return isExpiredAt(Instant.now());
  }

  /** A zero or negative interval never times out (as the Servlet specification has it). */
  boolean isExpiredAt(Instant now) {
    return maxInactiveInterval.compareTo(Duration.ZERO) > 0
        && !now.isBefore(lastAccessedTime.plus(maxInactiveInterval));
  }

  boolean isNew() {
    return isNew;
  }

  String storedId() {
    return storedId;
  }

  String storedPrincipal() {
    return storedPrincipal;
  }

  boolean maxInactiveIntervalChanged() {
    return maxInactiveIntervalChanged;
  }

  Map<String, Object> attributes() {
    return Collections.unmodifiableMap(attributes);
  }

  /** What changed since it was read or saved; a null value removes the attribute. */
  Map<String, Object> changes() {
    return Collections.unmodifiableMap(changes);
  }

  /** It was written as it is now, indexed under {@code principal}. */
  void saved(String principal) {
    isNew = false;
    storedId = id;
    storedPrincipal = principal;
    maxInactiveIntervalChanged = false;
    changes.clear();
  }

  @Override
  public String toString() {
    return "CacheLayerSpringSession[" + id.substring(0, Math.min(6, id.length())) + "…, "
        + attributes.size() + " attributes]";
  }
}
