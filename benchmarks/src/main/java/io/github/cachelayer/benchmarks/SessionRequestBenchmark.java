package io.github.cachelayer.benchmarks;

import io.github.cachelayer.session.SessionManager;
import io.github.cachelayer.spring.session.CacheLayerSessionRepository;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * What a web request costs its session, as Spring Session's filter spends it: find the session
 * by its id, mark it accessed, change one attribute, save. Spring Session on CacheLayer (the
 * starter's repository over the session helper, Redis mode) against Spring Session Data Redis's
 * {@link RedisSessionRepository} on Lettuce with Spring Session's own template settings (string
 * keys, JDK-serialized values), on the same Redis; 1,000 sessions of two attributes each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionRequestBenchmark {
  static final int SESSIONS = 1_000;
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  @Param({"cachelayer", "spring-session-data-redis"})
  public String store;

  private CacheManager manager;
  private LettuceConnectionFactory lettuce;
  private SessionRepository<Session> repository;
  private String[] ids;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void open() {
    switch (store) {
      case "cachelayer" -> {
        manager = Peers.open("cachelayer-redis").manager();
        for (String name : new String[] {"spring-session", "spring-session-index"}) {
          if (manager.getCache(name) != null) {
            manager.destroyCache(name);
          }
        }
        SessionManager sessions = SessionManager.builder(manager).idleTimeout(TIMEOUT)
            .maxLifetime(Duration.ofDays(1))
            .cacheNames("spring-session", "spring-session-index").build();
        repository = (SessionRepository<Session>) (SessionRepository<?>)
            new CacheLayerSessionRepository(sessions, TIMEOUT, TIMEOUT, null, Clock.systemUTC());
      }
      case "spring-session-data-redis" -> {
        URI url = URI.create(Peers.redisUrl());
        lettuce = new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
        lettuce.afterPropertiesSet();
        lettuce.start();
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setKeySerializer(new StringRedisSerializer());
        template.setHashKeySerializer(new StringRedisSerializer());
        template.setConnectionFactory(lettuce);
        template.afterPropertiesSet();
        RedisSessionRepository redis = new RedisSessionRepository(template);
        redis.setDefaultMaxInactiveInterval(TIMEOUT);
        repository = (SessionRepository<Session>) (SessionRepository<?>) redis;
      }
      default -> throw new IllegalArgumentException(store);
    }
    ids = new String[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      Session session = repository.createSession();
      session.setAttribute("user", "user_" + i);
      session.setAttribute("cart", new java.util.ArrayList<>(java.util.List.of("sku-1", "sku-2")));
      repository.save(session);
      ids[i] = session.getId();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (manager != null) {
      manager.close();
    }
    if (lettuce != null) {
      lettuce.destroy();
    }
  }

  /** One request: read, touch, change an attribute, save (what SessionRepositoryFilter does). */
  @Benchmark
  public Object sessionRequest() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Session session = repository.findById(ids[random.nextInt(SESSIONS)]);
    if (session == null) {
      throw new IllegalStateException("a session of the benchmark ended");
    }
    session.setLastAccessedTime(Instant.now());
    session.setAttribute("lastPage", random.nextInt());
    repository.save(session);
    return session;
  }

  /**
   * The most common request: the session read (a signed-in user's security context) and
   * saved unchanged, as Spring Session's filter saves every session it handed out.
   */
  @Benchmark
  public Object sessionReadRequest() {
    Session session = repository.findById(ids[ThreadLocalRandom.current().nextInt(SESSIONS)]);
    if (session == null) {
      throw new IllegalStateException("a session of the benchmark ended");
    }
    session.setLastAccessedTime(Instant.now());
    Object user = session.getAttribute("user");
    repository.save(session);
    return user;
  }
}
