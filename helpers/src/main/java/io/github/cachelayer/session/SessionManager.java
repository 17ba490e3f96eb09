package io.github.cachelayer.session;

import io.github.cachelayer.helpers.Caches;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;

/**
 * Sessions in a JCache cache, shared by every JVM that shares the cache: sliding idle expiry
 * (default one hour) under an absolute maximum lifetime (default one day), id regeneration,
 * and a per-user index that cleans itself.
 *
 * <pre>{@code
 * SessionManager sessions = SessionManager.builder(cacheManager).build();
 * String id = sessions.create("user_123", Map.of("role", "admin"));
 * Optional<Session> session = sessions.get(id);           // extends it
 * sessions.update(id, Map.of("last_page", "/dashboard")); // merges and extends
 * sessions.delete(id);
 * }</pre>
 *
 * <p>Every read and update is one {@code Cache.invoke} (one round trip on CacheLayer's Redis
 * store), atomic wherever the provider's {@code invoke} is: concurrent updates from several JVMs
 * all land. Sessions live in the cache {@code session} under their id, so CacheLayer's Redis keys
 * read {@code <namespace>:session:<id>}, the original design's {@code session:{id}}. A stored
 * session that can no longer be read (its attributes' classes changed in a deploy) is no session,
 * never an exception.
 */
public final class SessionManager {
  private final Cache<String, Session> sessions;
  private final Cache<String, SessionIndex> index;
  private final long maxLifetimeMillis;
  private final int maxSessionsPerUser;
  private final Clock clock;

  private SessionManager(Builder builder, Cache<String, Session> sessions,
      Cache<String, SessionIndex> index) {
    this.sessions = sessions;
    this.index = index;
    this.maxLifetimeMillis = builder.maxLifetime.toMillis();
    this.maxSessionsPerUser = builder.maxSessionsPerUser;
    this.clock = builder.clock;
  }

  /** A manager whose caches ({@code session}, {@code session-index}) live in {@code manager}. */
  public static Builder builder(CacheManager manager) {
    return new Builder(Objects.requireNonNull(manager, "manager"));
  }

  /**
   * Creates a session for {@code userId} with {@code data} as its attributes.
   *
   * @return the new session's id (192 random bits, URL-safe)
   * @throws NullPointerException if the user, an attribute name or value is null
   */
  public String create(String userId, Map<String, ?> data) {
    requireUser(userId);
    Objects.requireNonNull(data, "data");
    long now = clock.millis();
    String id = SessionIds.next();
    Session session = Session.of(id, userId, now, now, now + maxLifetimeMillis, data);
    // Index first: a failure leaves an id the index drops later, never a session it misses.
    List<String> evicted = index.invoke(userId, new UpdateIndex(
        new SessionIndex.Ref(id, now, session.expiresAtMillis()), Set.of(), now,
        maxSessionsPerUser));
    if (!sessions.putIfAbsent(id, session)) {
      throw new IllegalStateException("A new session id collided with an existing one");
    }
    if (!evicted.isEmpty()) {
      sessions.removeAll(Set.copyOf(evicted));
    }
    return id;
  }

  /** The live session {@code id}, extended; empty if none (unknown, idle too long, or ended). */
  public Optional<Session> get(String id) {
    return change(id, new TouchSession(clock.millis()));
  }

  /**
   * Merges {@code changes} into session {@code id}'s attributes (a null value removes one) and
   * extends it.
   *
   * @return the updated session, or empty if there is none
   */
  public Optional<Session> update(String id, Map<String, ?> changes) {
    Objects.requireNonNull(changes, "changes");
    return change(id, new MergeSession(changes, clock.millis()));
  }

  private Optional<Session> change(String id,
      javax.cache.processor.EntryProcessor<String, Session, Session> processor) {
    if (!SessionIds.isWellFormed(id)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(sessions.invoke(id, processor));
    } catch (CacheException e) {
      return unreadable(id, e);
    }
  }

  /** A session whose stored form cannot be read any more is no session: drop it. */
  private Optional<Session> unreadable(String id, CacheException e) {
    if (!Caches.isDecodeFailure(e)) {
      throw e;
    }
    sessions.remove(id);
    return Optional.empty();
  }

  /** Ends session {@code id}; true if it was live. */
  public boolean delete(String id) {
    if (!SessionIds.isWellFormed(id)) {
      return false;
    }
    long now = clock.millis();
    Session taken;
    try {
      taken = sessions.invoke(id, new TakeSession(now));
    } catch (CacheException e) {
      unreadable(id, e);
      return false;
    }
    if (taken == null) {
      return false;
    }
    index.invoke(taken.userId(), new UpdateIndex(null, Set.of(id), now, 0));
    return true;
  }

  /**
   * Moves session {@code id} to a new id, keeping its user, data and lifetime; the old id reads
   * as no session from then on. Call it when a user signs in (session-fixation defence).
   *
   * @return the new id, or empty if there was no live session {@code id}
   */
  public Optional<String> regenerateId(String id) {
    if (!SessionIds.isWellFormed(id)) {
      return Optional.empty();
    }
    long now = clock.millis();
    Session old;
    try {
      old = sessions.invoke(id, new TakeSession(now));
    } catch (CacheException e) {
      unreadable(id, e);
      return Optional.empty();
    }
    if (old == null) {
      return Optional.empty();
    }
    String newId = SessionIds.next();
    Session moved = old.withId(newId, now);
    index.invoke(old.userId(), new UpdateIndex(
        new SessionIndex.Ref(newId, old.createdAtMillis(), old.expiresAtMillis()), Set.of(id),
        now, 0));
    if (!sessions.putIfAbsent(newId, moved)) {
      throw new IllegalStateException("A new session id collided with an existing one");
    }
    return Optional.of(newId);
  }

  /** The live sessions of {@code userId}, oldest first; reading them does not extend them. */
  public List<Session> sessionsOf(String userId) {
    requireUser(userId);
    SessionIndex known = index.get(userId);
    if (known == null) {
      return List.of();
    }
    long now = clock.millis();
    Map<String, Session> found = sessions.getAll(Set.copyOf(known.ids()));
    List<Session> live = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (String id : known.ids()) {
      Session session = found.get(id);
      if (session == null || session.isOverAt(now)) {
        gone.add(id);
      } else {
        live.add(session);
      }
    }
    if (!gone.isEmpty()) {
      index.invoke(userId, new UpdateIndex(null, Set.copyOf(gone), now, 0));
    }
    live.sort(Comparator.comparingLong(Session::createdAtMillis));
    return live;
  }

  /** Ends every session of {@code userId} (a password change, an account lock); the count ended. */
  public int deleteAllFor(String userId) {
    requireUser(userId);
    SessionIndex known = index.getAndRemove(userId);
    if (known == null) {
      return 0;
    }
    long now = clock.millis();
    int ended = 0;
    for (String id : known.ids()) {
      Session taken;
      try {
        taken = sessions.invoke(id, new TakeSession(now));
      } catch (CacheException e) {
        unreadable(id, e);
        continue;
      }
      if (taken != null) {
        ended++;
      }
    }
    return ended;
  }

  private static void requireUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    if (userId.isEmpty()) {
      throw new IllegalArgumentException("userId must not be empty");
    }
  }

  public Cache<String, Session> sessionCache() {
    return sessions;
  }

  /** Settings of a {@link SessionManager}; every one has a default. */
  public static final class Builder {
    private final CacheManager manager;
    private Duration idleTimeout = Duration.ofHours(1);
    private Duration maxLifetime = Duration.ofDays(1);
    private int maxSessionsPerUser;
    private Clock clock = Clock.systemUTC();
    private String sessionCache = "session";
    private String indexCache = "session-index";

    private Builder(CacheManager manager) {
      this.manager = manager;
    }

    /** How long a session lives after its last read or update (sliding); default one hour. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /** How long a session lives at most, however active; default one day. */
    public Builder maxLifetime(Duration lifetime) {
      this.maxLifetime = positive("maxLifetime", lifetime);
      return this;
    }

    /** At most this many sessions per user, the oldest ended first; 0 (default) for no maximum. */
    public Builder maxSessionsPerUser(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxSessionsPerUser must not be negative, was " + max);
      }
      this.maxSessionsPerUser = max;
      return this;
    }

    /** The clock of last accesses and lifetimes; the cache's own clock runs the idle expiry. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The names of the two caches (default {@code session} and {@code session-index}). */
    public Builder cacheNames(String sessionCache, String indexCache) {
      this.sessionCache = Objects.requireNonNull(sessionCache, "sessionCache");
      this.indexCache = Objects.requireNonNull(indexCache, "indexCache");
      return this;
    }

    public SessionManager build() {
      if (maxLifetime.compareTo(idleTimeout) < 0) {
        throw new IllegalArgumentException("maxLifetime " + maxLifetime
            + " is shorter than idleTimeout " + idleTimeout);
      }
      Cache<String, Session> sessions = Caches.getOrCreate(manager, sessionCache,
          configuration(Session.class, idleTimeout));
      Cache<String, SessionIndex> index = Caches.getOrCreate(manager, indexCache,
          configuration(SessionIndex.class, maxLifetime));
      return new SessionManager(this, sessions, index);
    }

    /** Expiry after each write: a session is written on every read (its last access). */
    private static <V> MutableConfiguration<String, V> configuration(Class<V> type,
        Duration lifetime) {
      return new MutableConfiguration<String, V>().setTypes(String.class, type)
          .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new ModifiedExpiryPolicy(
              new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, lifetime.toMillis()))));
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
      }
      return value;
    }
  }
}
