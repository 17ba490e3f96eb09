package io.github.cachelayer.redis;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's one Redis client and data path. Connects at start-up; when Redis is configured but
 * unreachable then, {@code fail-fast} refuses to open, otherwise one ERROR names the nodes (never
 * the password) and the client is retried in the background until Redis answers. Refused
 * credentials are a misconfiguration, not an outage: they always refuse to open.
 */
final class RedisConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

  /** The client and the caches' data path on its topology. */
  record Connected(RedissonClient client, RedisLink link) {}

  private final RedisSettings settings;
  private final ConnectionLosses losses;
  /** Credentials that change, or null for the settings' fixed ones. */
  private final CredentialsRenewal credentials;
  private final Consumer<Connected> onLateConnect;
  private volatile Connected connected;
  private ScheduledExecutorService reconnector;
  private boolean closed;

  /**
   * @param onLateConnect runs once if Redis answers only after start-up, under the lock that
   *     {@link #whenConnected} takes
   * @param credentials credentials that change; null for the settings' fixed ones
   */
  RedisConnection(RedisSettings settings, String namespace, ConnectionLosses losses,
      CredentialsRenewal credentials, Consumer<Connected> onLateConnect) {
    this.settings = settings;
    this.losses = losses;
    this.credentials = credentials;
    this.onLateConnect = onLateConnect;
    try {
      connected = connect();
      LOG.info("CacheLayer connected to Redis ({}), namespace '{}'", settings.describe(), namespace);
    } catch (RuntimeException e) {
      if (refusedCredentials(e)) {
        throw new CacheException("Redis (" + settings.describe() + ") refused the credentials"
            + (credentials != null ? " of the credentials provider (" + credentials.providerName()
                + ")" : (settings.username() != null ? " of user '" + settings.username() + "'"
                : "") + ": check REDIS_PASSWORD / REDIS_URL or cachelayer.redis.username and "
                + "password"), e);
      }
      if (settings.onUnavailable() == RedisSettings.OnUnavailable.FAIL_FAST) {
        throw new CacheException("Redis (" + settings.describe() + ") is not reachable: "
            + e.getMessage(), e);
      }
      LOG.error("Redis ({}) is not reachable: {}. Each cache follows its outage policy until "
          + "it answers (reconnecting every {} s)", settings.describe(), e.getMessage(),
          settings.reconnectInterval().toSeconds());
      startReconnecting();
    }
  }

  private Connected connect() {
    RedissonClient client = RedisClients.connect(settings, losses,
        credentials == null ? null : new RedissonCredentials(credentials));
    if (credentials != null) {
      credentials.checkOn(() -> RedisMasters.of(client, settings));
    }
    return new Connected(client, RedisLink.of(client, settings));
  }

  /** Whether Redis answered but refused who we are (WRONGPASS, NOAUTH, an ACL user disabled). */
  static boolean refusedCredentials(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("WRONGPASS") || message.contains("NOAUTH")
          || message.contains("invalid password") || message.contains("invalid username")
          || cause.getClass().getSimpleName().equals("RedisWrongPasswordException")
          || cause.getClass().getSimpleName().equals("RedisAuthRequiredException")) {
        return true;
      }
    }
    return false;
  }

  /** The connection, or null while Redis has not answered since start-up. */
  Connected current() {
    return connected;
  }

  /**
   * {@code onConnected} with the connection, or {@code meanwhile} while there is none, atomically
   * with a late connect: what {@code meanwhile} registers is there when {@code onLateConnect}
   * runs.
   */
  synchronized <T> T whenConnected(Function<Connected, T> onConnected, Supplier<T> meanwhile) {
    Connected now = connected;
    return now != null ? onConnected.apply(now) : meanwhile.get();
  }

  private void startReconnecting() {
    reconnector = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cachelayer-redis-reconnect");
      thread.setDaemon(true);
      return thread;
    });
    long interval = Math.max(100, settings.reconnectInterval().toMillis());
    reconnector.scheduleWithFixedDelay(this::tryConnect, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void tryConnect() {
    if (connected != null) {
      return;
    }
    Connected late;
    try {
      late = connect();
    } catch (RuntimeException e) {
      LOG.debug("Redis ({}) still not reachable: {}", settings.describe(), e.getMessage());
      return;
    }
    synchronized (this) {
      if (closed) {
        late.link().close();
        late.client().shutdown();
        return;
      }
      connected = late;
      onLateConnect.accept(late);
    }
    LOG.warn("Redis ({}) answers now: caches use it from here on", settings.describe());
    reconnector.shutdown();
  }

  /** No late connect from here on (a closing manager must not switch caches any more). */
  void stopConnecting() {
    synchronized (this) {
      closed = true;
    }
    if (reconnector != null) {
      reconnector.shutdownNow();
    }
  }

  @Override
  public void close() {
    stopConnecting();
    Connected now = connected;
    if (now != null) {
      now.link().close();
      now.client().shutdown();
    }
  }
}
