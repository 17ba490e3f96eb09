package io.github.cachelayer.spring.session;

import java.util.Map;
import java.util.Objects;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The reactive face of {@link CacheLayerSessionRepository}, for WebFlux applications: the same
 * sessions (an instance of either kind shares them on one Redis), each call run on Reactor's
 * bounded elastic scheduler, since the cache's calls block.
 */
public final class CacheLayerReactiveSessionRepository
    implements ReactiveSessionRepository<CacheLayerSpringSession>,
    ReactiveFindByIndexNameSessionRepository<CacheLayerSpringSession> {
  private final CacheLayerSessionRepository sessions;
  private final Scheduler scheduler;

  public CacheLayerReactiveSessionRepository(CacheLayerSessionRepository sessions) {
    this(sessions, Schedulers.boundedElastic());
  }

  CacheLayerReactiveSessionRepository(CacheLayerSessionRepository sessions, Scheduler scheduler) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  @Override
  public Mono<CacheLayerSpringSession> createSession() {
    return Mono.fromSupplier(sessions::createSession);
  }

  @Override
  public Mono<Void> save(CacheLayerSpringSession session) {
    return Mono.fromRunnable(() -> sessions.save(session)).subscribeOn(scheduler).then();
  }

  @Override
  public Mono<CacheLayerSpringSession> findById(String id) {
    return Mono.fromCallable(() -> sessions.findById(id)).subscribeOn(scheduler);
  }

  @Override
  public Mono<Void> deleteById(String id) {
    return Mono.fromRunnable(() -> sessions.deleteById(id)).subscribeOn(scheduler).then();
  }

  @Override
  public Mono<Map<String, CacheLayerSpringSession>> findByIndexNameAndIndexValue(
      String indexName, String indexValue) {
    return Mono.fromCallable(() -> sessions.findByIndexNameAndIndexValue(indexName, indexValue))
        .subscribeOn(scheduler);
  }
}
