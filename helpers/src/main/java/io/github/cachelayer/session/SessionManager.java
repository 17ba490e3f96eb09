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
import java.util.function.UnaryOperator;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
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
    String id = SessionIds.next();
    if (!create(id, userId, data)) {
      throw new IllegalStateException("A new session id collided with an existing one");
    }
    return id;
  }

  /**
   * A fresh session id (192 random bits, URL-safe), for an integration that names a session
   * before it stores it (Spring Session hands the id out when a request asks for a session, and
   * stores the session when the request ends).
   */
  public static String newId() {
    return SessionIds.next();
  }

  /**
   * Creates session {@code id} (from {@link #newId()}) with {@code data} as its attributes.
   *
   * @param userId its user, or null for none yet: such a session is in no user's index until
   *     {@link #assignUser} names one
   * @return false, creating nothing, if the id is taken
   * @throws IllegalArgumentException if {@code id} is not one {@link #newId()} could give
   */
  public boolean create(String id, String userId, Map<String, ?> data) {
    return create(id, userId, null, data);
  }

  /**
   * {@link #create(String, String, Map)} with an idle timeout of the session's own.
   *
   * @param maxIdle idle this long ends the session (null: the manager's idle timeout alone);
   *     only shorter than the manager's idle timeout has an effect, since the cache's entry
   *     expires by that
   */
  public boolean create(String id, String userId, Duration maxIdle, Map<String, ?> data) {
    if (!SessionIds.isWellFormed(id)) {
      throw new IllegalArgumentException("Not a session id of this manager: "
          + SessionIds.abbreviate(id));
    }
    String user = userId == null ? NO_USER : userId;
    Objects.requireNonNull(data, "data");
    long now = clock.millis();
    Session session = Session.of(id, user, now, now, now + maxLifetimeMillis,
        maxIdleMillis(maxIdle), data);
    // Index first: a failure leaves an id the index drops later, never a session it misses.
    List<String> evicted = isUser(user) ? index.invoke(user, new UpdateIndex(
        new SessionIndex.Ref(id, now, session.expiresAtMillis()), Set.of(), now,
        maxSessionsPerUser)) : List.of();
    if (!sessions.putIfAbsent(id, session)) {
      return false;
    }
    if (!evicted.isEmpty()) {
      sessions.removeAll(Set.copyOf(evicted));
    }
    return true;
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
    return take(id).isPresent();
  }

  /** Ends session {@code id} and answers it as it was, or empty if it was not live. */
  public Optional<Session> take(String id) {
    if (!SessionIds.isWellFormed(id)) {
      return Optional.empty();
    }
    long now = clock.millis();
    Session taken;
    try {
      taken = sessions.invoke(id, new TakeSession(now));
    } catch (CacheException e) {
      return unreadable(id, e);
    }
    if (taken == null) {
      return Optional.empty();
    }
    if (isUser(taken.userId())) {
      index.invoke(taken.userId(), new UpdateIndex(null, Set.of(id), now, 0));
    }
    return Optional.of(taken);
  }

  /**
   * Moves session {@code id} to a new id, keeping its user, data and lifetime; the old id reads
   * as no session from then on. Call it when a user signs in (session-fixation defence).
   *
   * @return the new id, or empty if there was no live session {@code id}
   */
  public Optional<String> regenerateId(String id) {
    String newId = SessionIds.next();
    return regenerateId(id, newId).map(Session::id);
  }

  /**
   * {@link #regenerateId(String)} to an id the caller chose (from {@link #newId()}).
   *
   * @return the session under its new id, or empty if there was no live session {@code id}
   */
  public Optional<Session> regenerateId(String id, String newId) {
    if (!SessionIds.isWellFormed(newId)) {
      throw new IllegalArgumentException("Not a session id of this manager: "
          + SessionIds.abbreviate(newId));
    }
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
    Session moved = old.withId(newId, now);
    if (isUser(old.userId())) {
      index.invoke(old.userId(), new UpdateIndex(
          new SessionIndex.Ref(newId, old.createdAtMillis(), old.expiresAtMillis()), Set.of(id),
          now, 0));
    }
    if (!sessions.putIfAbsent(newId, moved)) {
      throw new IllegalStateException("A new session id collided with an existing one");
    }
    return Optional.of(moved);
  }

  /**
   * Makes {@code userId} the user of session {@code id} (null: none), moving the session from
   * its former user's index to the new one's: after a sign-in, or a sign-out that keeps the
   * session.
   *
   * @return the session, extended, or empty if there is none
   */
  public Optional<Session> assignUser(String id, String userId) {
    String user = userId == null ? NO_USER : userId;
    long now = clock.millis();
    Optional<Session> before = change(id, new TouchSession(now));
    if (before.isEmpty() || before.get().userId().equals(user)) {
      return before;
    }
    Session session = before.get();
    if (isUser(user)) {
      List<String> evicted = index.invoke(user, new UpdateIndex(
          new SessionIndex.Ref(id, session.createdAtMillis(), session.expiresAtMillis()),
          Set.of(), now, maxSessionsPerUser));
      if (!evicted.isEmpty()) {
        sessions.removeAll(Set.copyOf(evicted));
      }
    }
    Optional<Session> assigned = change(id, new AssignUser(user, now));
    if (isUser(session.userId())) {
      index.invoke(session.userId(), new UpdateIndex(null, Set.of(id), now, 0));
    }
    return assigned;
  }

  /**
   * Gives session {@code id} an idle timeout of its own (null: none, the manager's alone) and
   * extends it.
   *
   * @return the session, or empty if there is none
   */
  public Optional<Session> setMaxIdle(String id, Duration maxIdle) {
    long now = clock.millis();
    return change(id, new SetMaxIdle(maxIdleMillis(maxIdle), now));
  }

  private static long maxIdleMillis(Duration maxIdle) {
    if (maxIdle == null) {
      return 0;
    }
    if (maxIdle.isNegative() || maxIdle.isZero()) {
      throw new IllegalArgumentException("maxIdle must be positive: " + maxIdle);
    }
    return maxIdle.toMillis();
  }

  /** The user id of a session that has none. */
  static final String NO_USER = "";

  private static boolean isUser(String userId) {
    return !userId.isEmpty();
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
      // A session another user took over since (assignUser indexes before it moves) is gone.
      if (session == null || session.isEndedAt(now) || !session.userId().equals(userId)) {
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
    private UnaryOperator<CompleteConfiguration<String, Session>> sessionCacheSettings =
        UnaryOperator.identity();

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

    /**
     * Adjusts the configuration the session cache is created with, when this manager creates
     * it: a provider's own settings (CacheLayer's codec allow-list for the classes sessions
     * hold, for instance). Keep its types and expiry: the manager depends on them.
     */
    public Builder sessionCacheSettings(
        UnaryOperator<CompleteConfiguration<String, Session>> adjust) {
      this.sessionCacheSettings = Objects.requireNonNull(adjust, "adjust");
      return this;
    }

    public SessionManager build() {
      if (maxLifetime.compareTo(idleTimeout) < 0) {
        throw new IllegalArgumentException("maxLifetime " + maxLifetime
            + " is shorter than idleTimeout " + idleTimeout);
      }
      Cache<String, Session> sessions = Caches.getOrCreate(manager, sessionCache,
          Objects.requireNonNull(sessionCacheSettings.apply(
              configuration(Session.class, idleTimeout)), "the adjusted configuration"));
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
