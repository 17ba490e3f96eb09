package io.github.cachelayer.redis;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.client.codec.ByteArrayCodec;
import io.github.cachelayer.internal.redisson.config.BaseConfig;
import io.github.cachelayer.internal.redisson.config.BaseMasterSlaveServersConfig;
import io.github.cachelayer.internal.redisson.config.Config;
import io.github.cachelayer.internal.redisson.config.CredentialsResolver;
import io.github.cachelayer.internal.redisson.config.EqualJitterDelay;
import io.github.cachelayer.internal.redisson.config.Protocol;
import io.github.cachelayer.internal.redisson.config.ReadMode;
import io.github.cachelayer.internal.redisson.config.SslVerificationMode;
import io.github.cachelayer.internal.redisson.config.SubscriptionMode;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import java.time.Duration;

/** Builds the Redisson client of a CacheManager from its {@link RedisSettings}. */
public final class RedisClients {
  private RedisClients() {}

  /**
   * Connects. Throws what Redisson throws when no node answers; the caller decides what an
   * unreachable Redis means (see {@link RedisSettings.OnUnavailable}).
   *
   * @param losses told when a connection to a master is lost
   */
  public static RedissonClient connect(RedisSettings settings, ConnectionLosses losses) {
    return connect(settings, losses, null);
  }

  /** @param credentials where credentials come from when they change; null for the fixed ones */
  static RedissonClient connect(RedisSettings settings, ConnectionLosses losses,
      CredentialsResolver credentials) {
    Config config = config(settings);
    config.setConnectionListener(losses);
    if (credentials != null) {
      config.setCredentialsResolver(credentials);
      // A RESP2 connection subscribed to a channel (the events between JVMs) may not send AUTH
      // again; in RESP3 it may. The whole provider suite passes on a RESP3 client too.
      config.setProtocol(Protocol.RESP3);
    }
    return Redisson.create(config);
  }

  static Config config(RedisSettings settings) {
    Config config = new Config();
    config.setCodec(ByteArrayCodec.INSTANCE);
    config.setUseScriptCache(true);
    int cores = Runtime.getRuntime().availableProcessors();
    config.setNettyThreads(settings.nettyThreads() > 0
        ? settings.nettyThreads() : Math.max(4, 2 * cores));
    config.setThreads(Math.max(2, cores));
    config.setTransportMode(NettyTransport.choose(settings.transport()));
    int timeout = (int) settings.timeout().toMillis();
    int connectTimeout = (int) settings.connectTimeout().toMillis();
    switch (settings.topology()) {
      case STANDALONE -> {
        var single = config.useSingleServer()
            .setAddress(settings.addresses().get(0))
            .setDatabase(settings.database())
            .setConnectionPoolSize(settings.poolSize())
            .setConnectionMinimumIdleSize(Math.min(settings.minimumIdle(), settings.poolSize()))
            .setSubscriptionConnectionMinimumIdleSize(1);
        common(single, settings, timeout, connectTimeout);
      }
      case CLUSTER -> {
        var cluster = config.useClusterServers()
            .addNodeAddress(settings.addresses().toArray(String[]::new))
            // Re-read the topology every second (the client's default is 5 s), so a promoted
            // replica serves within about a second of the promotion; one CLUSTER NODES a second.
            .setScanInterval(1_000);
        pools(cluster, settings);
        common(cluster, settings, timeout, connectTimeout);
      }
      case SENTINEL -> {
        var sentinel = config.useSentinelServers()
            .setMasterName(settings.sentinelMaster())
            .setDatabase(settings.database())
            .setCheckSentinelsList(false);
        settings.addresses().forEach(sentinel::addSentinelAddress);
        pools(sentinel, settings);
        common(sentinel, settings, timeout, connectTimeout);
      }
    }
    tls(config, settings);
    credentials(config, settings);
    return config;
  }

  /**
   * Every command goes to the master: a replica lags, and a cache must read its own writes
   * (Redisson would read from replicas by default). One pub/sub connection kept open.
   */
  private static void pools(BaseMasterSlaveServersConfig<?> servers, RedisSettings settings) {
    int idle = Math.min(settings.minimumIdle(), settings.poolSize());
    servers.setReadMode(ReadMode.MASTER)
        .setSubscriptionMode(SubscriptionMode.MASTER)
        .setMasterConnectionPoolSize(settings.poolSize())
        .setMasterConnectionMinimumIdleSize(idle)
        .setSlaveConnectionPoolSize(settings.poolSize())
        .setSlaveConnectionMinimumIdleSize(0)
        .setSubscriptionConnectionMinimumIdleSize(1);
  }

  @SuppressWarnings("deprecation") // setRetryInterval: the settings name one fixed interval
  private static void common(BaseConfig<?> base, RedisSettings settings, int timeout,
      int connectTimeout) {
    base.setTimeout(timeout)
        .setConnectTimeout(connectTimeout)
        .setRetryAttempts(settings.retries())
        .setRetryInterval((int) settings.retryInterval().toMillis())
        .setClientName("cachelayer")
        // A connection that stops answering (a firewall or NAT that dropped its state) is found
        // by a PING within about a timeout and replaced, not waited on; the link's own
        // connections are checked the same way (RedisLink).
        .setPingConnectionInterval(Math.max(1_000, timeout))
        // Reconnect within a second of Redis coming back, however long it was away (the
        // client's default backs off to 10 s, so a 20 s outage cost 6 s after the restart).
        .setReconnectionDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(1)));
  }

  /** Credentials live on the client's configuration too (on a server's they are deprecated). */
  private static void credentials(Config config, RedisSettings settings) {
    if (settings.username() != null) {
      config.setUsername(settings.username());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
  }

  /** TLS settings live on the client's configuration (on a server's they are deprecated). */
  private static void tls(Config config, RedisSettings settings) {
    config.setSslVerificationMode(settings.verifyHostname()
        ? SslVerificationMode.STRICT : SslVerificationMode.CA_ONLY);
    if (settings.truststore() != null) {
      config.setSslTruststore(settings.truststoreUrl());
      if (settings.truststorePassword() != null) {
        config.setSslTruststorePassword(settings.truststorePassword());
      }
    }
  }
}
