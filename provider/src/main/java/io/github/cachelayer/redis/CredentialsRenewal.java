package io.github.cachelayer.redis;

import io.github.cachelayer.config.ConfigurationException;
import io.github.cachelayer.config.CredentialsSettings;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.credentials.CredentialsProviders;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import io.github.cachelayer.redis.socket.NodeConnector;
import io.github.cachelayer.resp.RespConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's credentials when a {@link RedisCredentialsProvider} gives them: what a new
 * connection authenticates with, and the renewal of every live connection before they expire
 * (or every {@code renew-every}).
 *
 * <p>A renewal asks the provider, and when it gives other credentials, first checks them on a
 * connection of its own to each master ({@code AUTH}, then closed). Only credentials Redis
 * accepted reach the live connections: the client's re-authenticate ({@code AUTH} in their
 * command stream, see {@link #renewals()}), the near cache's are replaced. A provider that fails
 * or credentials Redis refuses leave every connection as it is, are logged at WARN (never the
 * secret), reported in health until a renewal succeeds, and tried again every
 * {@code retry-interval}.
 */
final class CredentialsRenewal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsRenewal.class);

  private final RedisCredentialsProvider provider;
  private final CredentialsSettings settings;
  private final String providerName;
  private final NodeConnector checker;
  private final ScheduledExecutorService scheduler;
  private final List<Runnable> onRenewed = new CopyOnWriteArrayList<>();
  /** Completed when the client's connections are to authenticate again; then replaced. */
  private final AtomicReference<CompletableFuture<Void>> nextRenewal =
      new AtomicReference<>(new CompletableFuture<>());
  /** The credentials the live connections authenticated with last. */
  private volatile RedisCredentials held;
  /** Why the last renewal failed (no secret), or null since one succeeded. */
  private volatile String problem;
  private volatile Supplier<List<InetSocketAddress>> masters;
  private boolean providerFailing;

  /**
   * Asks the provider for the first credentials.
   *
   * @throws CacheException if it gives none
   */
  CredentialsRenewal(RedisCredentialsProvider provider, String providerName,
      RedisSettings redis) {
    this.provider = provider;
    this.providerName = providerName;
    this.settings = redis.credentials();
    this.checker = new NodeConnector(redis, (int) redis.timeout().toMillis(), null);
    try {
      this.held = ask();
    } catch (Exception e) {
      throw new CacheException("The Redis credentials provider (" + providerName + ") gave no "
          + "credentials at start-up: " + e, e);
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cachelayer-credentials");
      thread.setDaemon(true);
      return thread;
    });
    schedule(delayUntilDue(held));
  }

  /**
   * The renewal of a manager's credentials, or null when it uses the fixed password: a provider
   * instance under {@link RedisCredentialsProvider#PROPERTY} in its properties, or the one the
   * setting names.
   *
   * @throws ConfigurationException if the setting names no provider, a password is set too, or
   *     the provider gives no credentials
   */
  static CredentialsRenewal of(RedisSettings redis, Properties properties,
      ClassLoader classLoader) {
    Object given = properties.get(RedisCredentialsProvider.PROPERTY);
    String name = redis.credentials().provider();
    RedisCredentialsProvider provider;
    if (given instanceof RedisCredentialsProvider instance) {
      provider = instance;
      name = instance.getClass().getName();
    } else if (given != null && !(given instanceof String)) {
      throw new ConfigurationException(RedisCredentialsProvider.PROPERTY, "in the manager's "
          + "properties must be a RedisCredentialsProvider or its name, was a "
          + given.getClass().getName());
    } else {
      name = given != null ? (String) given : name;
      if (name == null || name.isBlank()) {
        return null;
      }
      try {
        provider = CredentialsProviders.load(name.trim(), redis.credentials().options(),
            classLoader);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(RedisCredentialsProvider.PROPERTY, e.getMessage(), e);
      }
    }
    if (redis.password() != null) {
      throw new ConfigurationException(RedisCredentialsProvider.PROPERTY, "is set, and so is a "
          + "password (cachelayer.redis.password, REDIS_PASSWORD or the URL's): set one");
    }
    return new CredentialsRenewal(provider, name, redis);
  }

  /** What to name the provider in messages. */
  String providerName() {
    return providerName;
  }

  /**
   * The master nodes to check renewed credentials on, once the client is connected; before
   * that there is no live connection, and a renewal only replaces the held credentials.
   */
  void checkOn(Supplier<List<InetSocketAddress>> masters) {
    this.masters = masters;
  }

  /** Runs after each successful renewal (the near cache replaces its connections). */
  void onRenewed(Runnable listener) {
    onRenewed.add(listener);
  }

  /**
   * Credentials for a new connection: the provider's now, or, while it fails, the ones held
   * (if they have not expired). May block: never call it on the client's I/O threads.
   */
  RedisCredentials forNewConnection() {
    try {
      RedisCredentials now = ask();
      synchronized (this) {
        providerFailing = false;
      }
      return now;
    } catch (Exception e) {
      RedisCredentials fallback = held;
      if (fallback.expiresAt() != null && !Instant.now().isBefore(fallback.expiresAt())) {
        throw new CacheException("The Redis credentials provider (" + providerName + ") failed "
            + "(" + e + ") and the credentials given last expired at " + fallback.expiresAt(), e);
      }
      synchronized (this) {
        if (!providerFailing) {
          providerFailing = true;
          LOG.warn("The Redis credentials provider ({}) failed ({}); new connections use the "
              + "credentials it gave last", providerName, e.toString());
        }
      }
      return fallback;
    }
  }

  /** Completes when the client's connections are to send AUTH again (each time a new one). */
  CompletionStage<Void> renewals() {
    return nextRenewal.get();
  }

  /** Why the last renewal failed, without secrets; null while renewals succeed. */
  String problem() {
    return problem;
  }

  private RedisCredentials ask() throws Exception {
    RedisCredentials credentials = provider.credentials();
    if (credentials == null) {
      throw new IllegalStateException("the provider returned null");
    }
    return credentials;
  }

  private void renew() {
    RedisCredentials fresh;
    try {
      fresh = ask();
    } catch (Exception e) {
      failed("the credentials provider (" + providerName + ") failed: " + e);
      return;
    }
    RedisCredentials current = held;
    if (fresh.sameAs(current)) {
      held = fresh;
      problem = null;
      // The provider still gives the same (a token it has not refreshed yet): ask again soon,
      // until it gives new ones or, without an expiry, at the next period (none: never).
      Duration due = delayUntilDue(fresh);
      schedule(due != null && due.isZero() ? settings.retryInterval() : due);
      return;
    }
    Supplier<List<InetSocketAddress>> nodes = masters;
    if (nodes != null) {
      List<InetSocketAddress> all;
      try {
        all = nodes.get();
      } catch (RuntimeException e) {
        failed("the Redis masters are not known now (" + e.getMessage() + ")");
        return;
      }
      for (InetSocketAddress master : all) {
        String refusal = check(master, fresh);
        if (refusal != null) {
          failed(refusal);
          return;
        }
      }
    }
    held = fresh;
    boolean wasFailing = problem != null;
    problem = null;
    CompletableFuture<Void> due = nextRenewal.getAndSet(new CompletableFuture<>());
    due.complete(null);
    for (Runnable listener : onRenewed) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("After renewing the Redis credentials: {}", e.toString());
      }
    }
    LOG.info("Redis credentials renewed{} ({}{}); every connection authenticates with them",
        wasFailing ? " after earlier failures" : "",
        fresh.username() == null ? "default user" : "user " + fresh.username(),
        fresh.expiresAt() == null ? "" : ", valid until " + fresh.expiresAt());
    schedule(delayUntilDue(fresh));
  }

  /** Null if {@code master} accepts the credentials, else why not (no secret). */
  private String check(InetSocketAddress master, RedisCredentials candidate) {
    try (RespConnection connection = checker.connect(master, candidate)) {
      connection.call("PING");
      return null;
    } catch (NodeConnector.RefusedCredentials e) {
      return "Redis at " + master.getHostString() + ":" + master.getPort() + " refused the "
          + "renewed credentials of " + (candidate.username() == null ? "the default user"
          : "user '" + candidate.username() + "'") + " (" + e.getMessage() + ")";
    } catch (IOException | RuntimeException e) {
      return "the renewed credentials could not be checked on " + master.getHostString() + ":"
          + master.getPort() + " (" + e.getMessage() + ")";
    }
  }

  private void failed(String why) {
    RedisCredentials current = held;
    String reason = why + "; connections keep the credentials given last"
        + (current.expiresAt() == null ? "" : ", which expire at " + current.expiresAt())
        + "; tried again every " + settings.retryInterval().toMillis() + " ms";
    if (!reason.equals(problem)) {
      LOG.warn("Renewing the Redis credentials failed: {}", reason);
    }
    problem = reason;
    schedule(settings.retryInterval());
  }

  /**
   * How long until credentials are due for renewal: {@code renew-before-expiry} before they
   * expire, or {@code renew-every} after now, whichever comes first; null for never.
   */
  private Duration delayUntilDue(RedisCredentials credentials) {
    Duration due = null;
    if (credentials.expiresAt() != null) {
      Duration left = Duration.between(Instant.now(), credentials.expiresAt())
          .minus(settings.renewBeforeExpiry());
      due = left.isNegative() ? Duration.ZERO : left;
    }
    if (!settings.renewEvery().isZero()
        && (due == null || settings.renewEvery().compareTo(due) < 0)) {
      due = settings.renewEvery();
    }
    return due;
  }

  private void schedule(Duration delay) {
    if (delay == null || scheduler.isShutdown()) {
      return;
    }
    try {
      scheduler.schedule(this::renew, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  @Override
  public String toString() {
    return "CredentialsRenewal[" + providerName + ", " + held + "]";
  }
}
