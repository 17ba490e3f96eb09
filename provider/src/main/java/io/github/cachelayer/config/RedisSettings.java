package io.github.cachelayer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.cache.CacheException;

/**
 * Where Redis is and how to talk to it, from the {@code cachelayer.redis} block (which the
 * environment fills through REDIS_URL, REDIS_HOST, REDIS_PORT, REDIS_PASSWORD). The password never
 * appears in {@link #toString()}, {@link #describe()} or any exception message.
 */
public final class RedisSettings {
  static final Set<String> KEYS = Set.of("url", "host", "port", "password", "username",
      "database", "ssl", "cluster-nodes", "sentinel", "pool-size", "minimum-idle",
      "connect-timeout", "timeout", "retries", "retry-interval", "netty-threads", "namespace",
      "on-unavailable", "on-outage", "reconnect-interval", "expired-entry-retention", "listener-lease",
      "breaker-failures", "breaker-open-for",
      "truststore",
      "truststore-password", "verify-hostname", "near-cache", "multi-key-commands",
      "credentials", "transport");
  private static final Set<String> SENTINEL_KEYS = Set.of("master-name", "nodes");

  /** What a manager does when Redis is configured but does not answer at start-up. */
  public enum OnUnavailable {
    /** Open anyway; each cache follows its outage policy until Redis answers. */
    OPEN,
    /** Throw from getCacheManager. */
    FAIL_FAST
  }

  /** The client's network I/O ({@code transport}). */
  public enum Transport {
    /** Linux's epoll through Netty's native library where it loads; Java's NIO elsewhere. */
    AUTO,
    /** Java's NIO selector on every platform. */
    NIO,
    /** Netty's native epoll; start-up fails where it does not load. */
    EPOLL
  }

  /** How the near cache receives invalidations ({@code near-cache.protocol}). */
  public enum NearCacheProtocol {
    /** RESP2, and RESP3 where the server refuses RESP2's redirection. */
    AUTO,
    /** Redirected to a subscribed RESP2 connection. */
    RESP2,
    /** Pushed on a RESP3 connection. */
    RESP3
  }

  /** The three ways of deploying Redis. */
  public enum Topology { STANDALONE, CLUSTER, SENTINEL }

  private final Topology topology;
  private final boolean ssl;
  private final List<String> addresses;
  private final String sentinelMaster;
  private final String username;
  private final String password;
  private final int database;
  private final int poolSize;
  private final int minimumIdle;
  private final Duration connectTimeout;
  private final Duration timeout;
  private final int retries;
  private final Duration retryInterval;
  private final int nettyThreads;
  private final String namespace;
  private final OnUnavailable onUnavailable;
  private final OutagePolicy onOutage;
  private final Duration reconnectInterval;
  private final Duration expiredEntryRetention;
  private final Duration listenerLease;
  private final int breakerFailures;
  private final Duration breakerOpenFor;
  private final String truststore;
  private final String truststorePassword;
  private final boolean verifyHostname;
  private final NearCacheProtocol nearCacheProtocol;
  private final Transport transport;
  private final boolean multiKeyCommands;
  private final CredentialsSettings credentials;

  private RedisSettings(Config redis) {
    ConfigKeys.requireKnown("cachelayer.redis", redis.root(), KEYS);
    SettingsReader read = new SettingsReader(redis, "cachelayer.redis");
    String user = read.has("username") ? read.text("username") : null;
    String secret = read.has("password") ? read.text("password") : null;
    boolean tls = read.bool("ssl");
    int db = (int) read.wholeNumber("database");
    String host = null;
    int port = (int) read.wholeNumber("port");
    if (read.has("url") && !read.text("url").isBlank()) {
      URI url = parseUrl(read.text("url"));
      tls = tls || "rediss".equals(url.getScheme());
      host = url.getHost();
      port = url.getPort() > 0 ? url.getPort() : port;
      String userInfo = url.getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        String urlUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String urlPassword = colon < 0 ? null : userInfo.substring(colon + 1);
        // The URL's user-info is a password alone unless it has the user:password form.
        if (colon < 0) {
          secret = secret != null ? secret : decode(urlUser);
        } else {
          user = user != null ? user : (urlUser.isEmpty() ? null : decode(urlUser));
          secret = secret != null ? secret : decode(urlPassword);
        }
      }
      String path = url.getPath();
      if (path != null && path.length() > 1) {
        try {
          db = Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
          throw new ConfigurationException("cachelayer.redis.url",
              "the path must be a database number, such as /0");
        }
      }
    } else if (read.has("host")) {
      host = read.text("host");
    }
    List<String> clusterNodes = stringList(redis, "cluster-nodes");
    List<String> sentinelNodes = List.of();
    String master = null;
    if (redis.hasPath("sentinel")) {
      Config sentinel = redis.getConfig("sentinel");
      ConfigKeys.requireKnown("cachelayer.redis.sentinel", sentinel.root(), SENTINEL_KEYS);
      sentinelNodes = stringList(sentinel, "nodes");
      master = sentinel.hasPath("master-name") ? sentinel.getString("master-name") : null;
    }
    String scheme = tls ? "rediss://" : "redis://";
    if (!clusterNodes.isEmpty()) {
      this.topology = Topology.CLUSTER;
      this.addresses = withScheme(clusterNodes, scheme);
    } else if (!sentinelNodes.isEmpty()) {
      if (master == null) {
        throw new ConfigurationException("cachelayer.redis.sentinel.master-name",
            "Sentinel needs the name of the master");
      }
      this.topology = Topology.SENTINEL;
      this.addresses = withScheme(sentinelNodes, scheme);
    } else {
      if (host == null || host.isBlank()) {
        throw new ConfigurationException("cachelayer.redis",
            "set url, host, cluster-nodes or sentinel.nodes");
      }
      this.topology = Topology.STANDALONE;
      this.addresses = List.of(scheme + hostPort(host, port));
    }
    this.sentinelMaster = master;
    this.ssl = tls;
    this.username = user;
    this.password = secret;
    this.database = db;
    this.poolSize = positive(read, "pool-size");
    this.minimumIdle = (int) read.wholeNumber("minimum-idle");
    this.connectTimeout = read.duration("connect-timeout");
    this.timeout = read.duration("timeout");
    this.retries = (int) read.wholeNumber("retries");
    this.retryInterval = read.duration("retry-interval");
    this.nettyThreads = (int) read.wholeNumber("netty-threads");
    this.namespace = read.has("namespace") ? read.text("namespace") : null;
    this.onUnavailable = switch (read.text("on-unavailable")) {
      // no-storage: the name from before outage policies, when waiting meant keeping nothing.
      case "open", "no-storage" -> OnUnavailable.OPEN;
      case "fail-fast" -> OnUnavailable.FAIL_FAST;
      default -> throw new ConfigurationException("cachelayer.redis.on-unavailable",
          "must be open or fail-fast");
    };
    this.onOutage = OutagePolicy.parse("cachelayer.redis.on-outage", read.text("on-outage"));
    this.reconnectInterval = read.duration("reconnect-interval");
    this.expiredEntryRetention = read.duration("expired-entry-retention");
    this.listenerLease = read.duration("listener-lease");
    this.breakerFailures = (int) read.wholeNumber("breaker-failures");
    if (breakerFailures < 0) {
      throw new ConfigurationException("cachelayer.redis.breaker-failures",
          "must be 0 (no breaker) or more, was " + breakerFailures);
    }
    this.breakerOpenFor = read.duration("breaker-open-for");
    if (listenerLease.toMillis() < 300) {
      throw new ConfigurationException("cachelayer.redis.listener-lease",
          "must be at least 300ms, was " + listenerLease);
    }
    this.truststore = read.has("truststore") ? read.text("truststore") : null;
    this.truststorePassword = read.has("truststore-password")
        ? read.text("truststore-password") : null;
    this.verifyHostname = read.bool("verify-hostname");
    if (redis.hasPath("near-cache")) {
      ConfigKeys.requireKnown("cachelayer.redis.near-cache", redis.getObject("near-cache"),
          Set.of("protocol"));
    }
    this.credentials = CredentialsSettings.parse(
        redis.hasPath("credentials") ? redis.getConfig("credentials") : null);
    this.multiKeyCommands = !read.has("multi-key-commands") || read.bool("multi-key-commands");
    this.nearCacheProtocol = read.choice("near-cache.protocol", NearCacheProtocol.AUTO);
    this.transport = read.choice("transport", Transport.AUTO);
  }

  /** @param redis the {@code cachelayer.redis} block, resolved */
  static RedisSettings parse(Config redis) {
    try {
      return new RedisSettings(redis);
    } catch (ConfigException e) {
      throw new ConfigurationException("cachelayer.redis", e.getMessage(), e);
    }
  }

  private static URI parseUrl(String text) {
    try {
      URI url = new URI(text.trim());
      if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
        throw new ConfigurationException("cachelayer.redis.url",
            "must start with redis:// or rediss://");
      }
      if (url.getHost() == null) {
        throw new ConfigurationException("cachelayer.redis.url", whyNoHost(url));
      }
      return url;
    } catch (URISyntaxException e) {
      // The message of URISyntaxException quotes the input, which may hold the password.
      throw new ConfigurationException("cachelayer.redis.url",
          "is not a valid redis:// or rediss:// URL");
    }
  }

  /** What is wrong with a URL's authority, naming the host part but never the user-info. */
  private static String whyNoHost(URI url) {
    String authority = url.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      return "has no host";
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0 && authority.indexOf('@') != at) {
      return "has more than one '@' (write an @ in the password as %40)";
    }
    String hostPort = authority.substring(at + 1);
    if (hostPort.isEmpty()) {
      return "has no host";
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && !hostPort.endsWith("]")) {
      String port = hostPort.substring(colon + 1);
      if (!port.chars().allMatch(Character::isDigit) || port.isEmpty()) {
        return "port '" + port + "' of host '" + hostPort.substring(0, colon)
            + "' is not a number";
      }
    }
    return "host '" + hostPort + "' is not a valid host name";
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static List<String> stringList(Config config, String key) {
    return config.hasPath(key) ? List.copyOf(config.getStringList(key)) : List.of();
  }

  private static List<String> withScheme(List<String> nodes, String scheme) {
    return nodes.stream()
        .map(node -> node.startsWith("redis://") || node.startsWith("rediss://")
            ? node : scheme + node)
        .toList();
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static int positive(SettingsReader read, String key) {
    long value = read.wholeNumber(key);
    if (value < 1) {
      throw new ConfigurationException(read.path(key), "must be at least 1");
    }
    return (int) value;
  }

  public Topology topology() {
    return topology;
  }

  /** Node addresses with scheme, never with credentials. */
  public List<String> addresses() {
    return addresses;
  }

  public String sentinelMaster() {
    return sentinelMaster;
  }

  public boolean ssl() {
    return ssl;
  }

  public String username() {
    return username;
  }

  /** The password, for the client only: never log it. */
  public String password() {
    return password;
  }

  public int database() {
    return database;
  }

  public int poolSize() {
    return poolSize;
  }

  public int minimumIdle() {
    return minimumIdle;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration timeout() {
    return timeout;
  }

  public int retries() {
    return retries;
  }

  public Duration retryInterval() {
    return retryInterval;
  }

  /** Netty event-loop threads; 0 means sized for the machine. */
  public int nettyThreads() {
    return nettyThreads;
  }

  /** The configured key prefix, or null to derive it from the manager's URI. */
  public String namespace() {
    return namespace;
  }

  public OnUnavailable onUnavailable() {
    return onUnavailable;
  }

  /** The outage policy of this manager's caches that set none of their own. */
  public OutagePolicy onOutage() {
    return onOutage;
  }

  public Duration reconnectInterval() {
    return reconnectInterval;
  }

  public Duration expiredEntryRetention() {
    return expiredEntryRetention;
  }

  /** Calls in a row without an answer that open the circuit breaker (0: no breaker). */
  public int breakerFailures() {
    return breakerFailures;
  }

  /** How long the breaker first stays open (doubling while Redis stays silent, up to 30 s). */
  public Duration breakerOpenFor() {
    return breakerOpenFor;
  }

  /** How long a JVM's listener registration lasts unless renewed (a third of it, while alive). */
  public Duration listenerLease() {
    return listenerLease;
  }

  public String truststore() {
    return truststore;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  /** The trust store as a URL (it may be given as a URL or a path on this machine), or null. */
  public URL truststoreUrl() {
    if (truststore == null) {
      return null;
    }
    try {
      return truststore.contains(":/")
          ? URI.create(truststore).toURL() : Path.of(truststore).toUri().toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new CacheException("cachelayer.redis.truststore is not a path or URL: " + truststore, e);
    }
  }

  /**
   * Whether bulk operations may send several keys per command: never in a cluster, and not
   * where {@code multi-key-commands = false} (a server that shards behind one endpoint).
   */
  public boolean multiKeyCommands() {
    return multiKeyCommands && topology != Topology.CLUSTER;
  }

  /** The credentials provider and its renewal; {@code provider() == null} for none. */
  public CredentialsSettings credentials() {
    return credentials;
  }

  public NearCacheProtocol nearCacheProtocol() {
    return nearCacheProtocol;
  }

  public Transport transport() {
    return transport;
  }

  public boolean verifyHostname() {
    return verifyHostname;
  }

  /** Topology and nodes, for log lines: no credentials. */
  public String describe() {
    return topology.name().toLowerCase(java.util.Locale.ROOT) + " " + addresses
        + (username == null ? "" : " as user " + username)
        + (sentinelMaster == null ? "" : " master " + sentinelMaster);
  }

  @Override
  public String toString() {
    return "RedisSettings[" + describe() + ", password=" + (password == null ? "none" : "****")
        + "]";
  }
}
