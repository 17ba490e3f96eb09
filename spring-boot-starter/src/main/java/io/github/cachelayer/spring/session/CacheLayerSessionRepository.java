package io.github.cachelayer.spring.session;

import io.github.cachelayer.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.session.DelegatingIndexResolver;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.IndexResolver;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.Session;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;

/**
 * Spring Session's repository on CacheLayer's session helper, so on any JCache provider; on
 * CacheLayer in Redis mode every instance on one Redis shares the sessions.
 *
 * <ul>
 *   <li>{@link #findById} reads and extends the session in one step (one round trip on
 *       CacheLayer's Redis store); a session idle past its own interval, or past its absolute
 *       lifetime, reads as none.</li>
 *   <li>{@link #save} writes only what the request changed, merged into the stored session
 *       atomically: a request that changed nothing writes nothing. A changed id moves the
 *       session, so the old id is unusable on every instance at once.</li>
 *   <li>The principal name (Spring Security's, or the
 *       {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME} attribute, or the
 *       reactive repository's {@code PRINCIPAL_NAME_INDEX_NAME}) indexes the session for
 *       {@link #findByPrincipalName}, under either index name; the index drops ended sessions
 *       itself.</li>
 *   <li>{@link SessionCreatedEvent} and {@link SessionDeletedEvent} are published on the instance
 *       that created or deleted the session. The store cannot tell when a session expires (its
 *       entry just lapses), so no {@code SessionExpiredEvent} is published.</li>
 * </ul>
 *
 * <p>Idle timeouts: every stored session lapses after {@code longestInactiveInterval} without
 * use (the session cache's expiry); a session's own {@link Session#setMaxInactiveInterval} ends
 * it sooner, never later. A longer, zero or negative (never) interval is kept as the longest,
 * with one WARN.
 */
public final class CacheLayerSessionRepository
    implements FindByIndexNameSessionRepository<CacheLayerSpringSession> {
  private static final Logger LOG = LoggerFactory.getLogger(CacheLayerSessionRepository.class);

  private final SessionManager sessions;
  private final Duration defaultMaxInactiveInterval;
  private final Duration longestInactiveInterval;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  /**
   * The principal of a session: the servlet index attribute, else the reactive one (WebFlux
   * names it differently), else Spring Security's context.
   */
  private final IndexResolver<Session> principals = new DelegatingIndexResolver<>(
      new PrincipalNameIndexResolver<>(),
      new PrincipalNameIndexResolver<>(REACTIVE_PRINCIPAL_NAME_INDEX_NAME));
  /** {@code ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME}. */
  static final String REACTIVE_PRINCIPAL_NAME_INDEX_NAME = "PRINCIPAL_NAME_INDEX_NAME";
  private volatile boolean warnedLonger;

  /**
   * @param sessions the helper, its session cache expiring after {@code longestInactiveInterval}
   * @param defaultMaxInactiveInterval what a new session's interval is
   * @param events where session events go (null: none are published)
   */
  public CacheLayerSessionRepository(SessionManager sessions,
      Duration defaultMaxInactiveInterval, Duration longestInactiveInterval,
      ApplicationEventPublisher events, Clock clock) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.defaultMaxInactiveInterval =
        Objects.requireNonNull(defaultMaxInactiveInterval, "defaultMaxInactiveInterval");
    this.longestInactiveInterval =
        Objects.requireNonNull(longestInactiveInterval, "longestInactiveInterval");
    if (defaultMaxInactiveInterval.compareTo(longestInactiveInterval) > 0) {
      throw new IllegalArgumentException("The default session timeout "
          + defaultMaxInactiveInterval + " is longer than the longest inactive interval "
          + longestInactiveInterval + " (cachelayer.session.longest-inactive-interval)");
    }
    this.events = events;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public CacheLayerSpringSession createSession() {
    return CacheLayerSpringSession.created(clock.instant(), defaultMaxInactiveInterval);
  }

  @Override
  public void save(CacheLayerSpringSession session) {
    if (session.isNew()) {
      String principal = principalOf(session);
      if (!sessions.create(session.getId(), emptyToNull(principal), storedMaxIdle(session),
          session.attributes())) {
        throw new IllegalStateException("A new session's id is taken");
      }
      session.saved(principal);
      publish(new SessionCreatedEvent(this, session));
      return;
    }
    if (!session.getId().equals(session.storedId())
        && sessions.regenerateId(session.storedId(), session.getId()).isEmpty()) {
      // Ended meanwhile (deleted on another instance, or lapsed): it stays ended.
      session.saved(session.storedPrincipal());
      return;
    }
    String principal = session.storedPrincipal();
    if (!session.changes().isEmpty()) {
      principal = principalOf(session);
      if (!principal.equals(session.storedPrincipal())
          && sessions.assignUser(session.getId(), emptyToNull(principal)).isEmpty()) {
        session.saved(session.storedPrincipal());
        return;
      }
    }
    if (session.maxInactiveIntervalChanged()) {
      sessions.setMaxIdle(session.getId(), storedMaxIdle(session));
    }
    if (!session.changes().isEmpty()) {
      sessions.update(session.getId(), session.changes());
    }
    session.saved(principal);
  }

  @Override
  public CacheLayerSpringSession findById(String id) {
    return sessions.get(id).map(this::wrap).orElse(null);
  }

  @Override
  public void deleteById(String id) {
    Optional<io.github.cachelayer.session.Session> taken = sessions.take(id);
    taken.ifPresent(session -> publish(new SessionDeletedEvent(this, wrap(session))));
  }

  /**
   * The live sessions of a principal (reading them does not extend them); other index names
   * have no index here and find none.
   */
  @Override
  public Map<String, CacheLayerSpringSession> findByIndexNameAndIndexValue(String indexName,
      String indexValue) {
    Map<String, CacheLayerSpringSession> found = new LinkedHashMap<>();
    if (!(PRINCIPAL_NAME_INDEX_NAME.equals(indexName)
        || REACTIVE_PRINCIPAL_NAME_INDEX_NAME.equals(indexName))
        || indexValue == null || indexValue.isEmpty()) {
      return found;
    }
    for (io.github.cachelayer.session.Session session : sessions.sessionsOf(indexValue)) {
      found.put(session.id(), wrap(session));
    }
    return found;
  }

  private CacheLayerSpringSession wrap(io.github.cachelayer.session.Session stored) {
    Duration interval = stored.maxIdleMillis() > 0 ? Duration.ofMillis(stored.maxIdleMillis())
        : longestInactiveInterval;
    return CacheLayerSpringSession.stored(stored, interval);
  }

  /** The helper's idle timeout for a session: none (the cache's) when it is the longest. */
  private Duration storedMaxIdle(CacheLayerSpringSession session) {
    Duration interval = session.getMaxInactiveInterval();
    if (interval.isNegative() || interval.isZero()
        || interval.compareTo(longestInactiveInterval) > 0) {
      if (!warnedLonger) {
        warnedLonger = true;
        LOG.warn("A session asked for an inactive interval of {}; sessions are kept at most {} "
            + "without use (raise cachelayer.session.longest-inactive-interval to allow more)",
            interval, longestInactiveInterval);
      }
      return null;
    }
    return interval.equals(longestInactiveInterval) ? null : interval;
  }

  private String principalOf(CacheLayerSpringSession session) {
    Map<String, String> indexes = principals.resolveIndexesFor(session);
    String principal = indexes.get(PRINCIPAL_NAME_INDEX_NAME);
    if (principal == null) {
      principal = indexes.get(REACTIVE_PRINCIPAL_NAME_INDEX_NAME);
    }
    return principal == null ? "" : principal;
  }

  private static String emptyToNull(String principal) {
    return principal.isEmpty() ? null : principal;
  }

  private void publish(Object event) {
    if (events != null) {
      events.publishEvent(event);
    }
  }
}
