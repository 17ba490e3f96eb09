package io.github.cachelayer.redis.near;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.redis.socket.NodeConnector;
import io.github.cachelayer.resp.RespConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidations of every near-cached cache of one manager: one {@link TrackingConnection} per
 * master (a cluster's keys live on several), tracking the key prefix of each cache subscribed,
 * kept open, re-opened and matched to the topology by a tick every {@value #TICK_MILLIS} ms,
 * which also sends the heartbeats. Sharing the connections keeps their number and their
 * heartbeats per master, not per cache and master.
 *
 * <p>A subscribed connection cannot change what it tracks (RESP2), so a cache whose prefix a
 * master's connection does not track gets a new connection for every prefix subscribed (as do
 * renewed credentials); it replaces the old one once its first heartbeat was answered and then
 * a heartbeat sent to the old one: a write acknowledged just before the new one tracked is
 * announced on the old one only, and closing that with the message unread would keep a copy
 * nobody invalidates. Both deliver meanwhile, so the other caches keep their copies and keep
 * serving; an old one that does not answer flushes them.
 *
 * <p>A cache may serve a copy only while its {@link Subscription#isFresh()}: every current
 * master has a connection that tracks its prefix and whose heartbeat sent within the last
 * {@value #PROVEN_WITHIN_MILLIS} ms was answered, as the last tick found. Ticks come every
 * {@value #TICK_MILLIS} ms, so a copy is served at most {@value #FRESHNESS_MILLIS} ms after the
 * last proof (with a tick to spare), and a read costs a volatile read instead of a clock call,
 * which would cost a near hit a third of its time. A connection that is lost, or whose node
 * stops being a master, stops every cache serving at once and flushes them all.
 */
final class InvalidationFeed implements TrackingConnection.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidationFeed.class);
  static final long TICK_MILLIS = 100;
  static final long FRESHNESS_MILLIS = 500;
  /** A tick finds the feed fresh if every heartbeat sent this long ago or less was answered. */
  static final long PROVEN_WITHIN_MILLIS = FRESHNESS_MILLIS - 2 * TICK_MILLIS;
  private static final long PROVEN_WITHIN_NANOS =
      TimeUnit.MILLISECONDS.toNanos(PROVEN_WITHIN_MILLIS);
  private static final long TOPOLOGY_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_RECONNECT_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long REFUSED_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Where a cache's invalidations go: its near cache's local copies. */
  interface Target {
    void invalidate(String redisKey);

    /** Drops every local copy, and any read's copy still on its way. */
    void flush();
  }

  /** One cache's share of the feed; closing it ends the cache's part. */
  final class Subscription implements AutoCloseable {
    private final String prefix;
    private final Target target;
    /** Set by each tick; cleared at once when a connection is lost or the masters change. */
    private volatile boolean serving;

    private Subscription(String prefix, Target target) {
      this.prefix = prefix;
      this.target = target;
    }

    /** Whether a copy held now is proven fresh: no change to it can be on its way unseen. */
    boolean isFresh() {
      return serving;
    }

    /** The time of the last tick, for ttl checks that must not read the clock. */
    long tickNanos() {
      return tickNanos;
    }

    @Override
    public void close() {
      unsubscribe(this);
    }
  }

  private final NodeConnector connector;
  private final Supplier<List<InetSocketAddress>> masters;
  /** By key prefix, {@code <namespace>:<cache>:}. */
  private final ConcurrentMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, TrackingConnection> connections = new HashMap<>();
  private final ScheduledFuture<?> ticks;
  /** The connections of every current master, or empty while one is missing. */
  private volatile TrackingConnection[] complete = new TrackingConnection[0];
  /** Every current master's heartbeat answered lately, as the last tick found. */
  private volatile boolean fresh;
  /** {@link System#nanoTime()} at the last tick: a clock for the copies' ttl, 100 ms coarse. */
  private volatile long tickNanos = System.nanoTime();
  private List<InetSocketAddress> currentMasters = List.of();
  /**
   * Opens connections off the upkeep thread: connecting to an unreachable node can take the
   * connect timeout, and the ticks must go on meanwhile.
   */
  private final Executor opener;
  /** Nodes a connection is being opened to. */
  private final Set<InetSocketAddress> opening = new HashSet<>();
  private long topologyCheckedAt;
  private long nextAttemptAt;
  private long reconnectDelay = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
  private boolean closed;
  private boolean warnedUnreachable;
  /** Counts credential renewals: a connection opened before the last one is replaced. */
  private int credentialsEpoch;
  /** Masters whose connection authenticated with credentials older than the renewed ones. */
  private final Set<InetSocketAddress> staleCredentials = new HashSet<>();
  /** The protocol a server accepted last (auto tries it first); null before any did. */
  private volatile TrackingConnection.Protocol accepted;

  /** @param masters the master nodes now, as the manager's client sees them */
  InvalidationFeed(NodeConnector connector, Supplier<List<InetSocketAddress>> masters,
      ScheduledExecutorService scheduler, Executor opener) {
    this.connector = connector;
    this.masters = masters;
    this.opener = opener;
    this.nextAttemptAt = System.nanoTime();
    this.ticks = scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts telling {@code target} of changes under {@code prefix}. The connections it needs are
   * opened here, on the caller's thread, so that the cache serves from its first reads.
   *
   * @param prefix the cache's key prefix, {@code <namespace>:<cache>:}; the two segments contain
   *     no {@code ':'} (see {@link #prefixOf}), so no prefix is a prefix of another
   */
  Subscription subscribe(String prefix, Target target) {
    Subscription subscription = new Subscription(prefix, target);
    List<InetSocketAddress> toOpen = new ArrayList<>();
    synchronized (this) {
      Subscription earlier = subscriptions.put(prefix, subscription);
      if (earlier != null) {
        earlier.serving = false; // a closed cache's that did not say so yet
      }
      if (currentMasters.isEmpty()) {
        followTopology();
      }
      // After a failure, the next attempt waits for its time (the ticks make it), so a Redis
      // that refuses is not asked again by every cache created meanwhile.
      boolean due = System.nanoTime() - nextAttemptAt >= 0;
      for (InetSocketAddress node : currentMasters) {
        TrackingConnection connection = connections.get(node);
        if (due && (connection == null || !connection.tracks(prefix)) && opening.add(node)) {
          toOpen.add(node);
        }
      }
    }
    toOpen.forEach(this::open);
    synchronized (this) {
      publish();
      if (!closed && !toOpen.isEmpty()) {
        fresh = provenNow(System.nanoTime()); // the new connections were proven as they opened
        updateServing();
      }
    }
    return subscription;
  }

  private void unsubscribe(Subscription subscription) {
    subscription.serving = false;
    synchronized (this) {
      subscriptions.remove(subscription.prefix, subscription);
      if (subscriptions.isEmpty()) {
        // No near cache left: no connection, no heartbeats, until the next one comes.
        connections.values().forEach(TrackingConnection::close);
        connections.clear();
        publish();
      }
    }
  }

  /**
   * The prefix of the cache a key belongs to: up to its second {@code ':'}. Redis sends only
   * keys under a tracked prefix, and a prefix's segments escape {@code ':'}.
   */
  static String prefixOf(String redisKey) {
    int first = redisKey.indexOf(':');
    int second = first < 0 ? -1 : redisKey.indexOf(':', first + 1);
    return second < 0 ? null : redisKey.substring(0, second + 1);
  }

  /** Every current master's connection answered a heartbeat lately, and none closed. */
  private boolean provenNow(long now) {
    TrackingConnection[] all = complete;
    if (all.length == 0) {
      return false;
    }
    for (TrackingConnection connection : all) {
      long proven = connection.provenAtNanos();
      if (proven == Long.MIN_VALUE || now - proven > PROVEN_WITHIN_NANOS
          || connection.isClosed()) {
        return false;
      }
    }
    return true;
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    try {
      long now = System.nanoTime();
      tickNanos = now;
      if (connections.values().removeIf(TrackingConnection::isClosed)) {
        publish(); // lost while it was being opened
        flushAll();
      }
      if (subscriptions.isEmpty()) {
        return;
      }
      if (now - topologyCheckedAt >= TOPOLOGY_CHECK_NANOS || currentMasters.isEmpty()) {
        topologyCheckedAt = now;
        followTopology();
      }
      connectMissing(now);
      fresh = provenNow(System.nanoTime());
      updateServing();
      for (TrackingConnection connection : connections.values()) {
        connection.ping();
      }
    } catch (RuntimeException e) {
      LOG.debug("Near cache upkeep failed: {}", e.toString());
    }
  }

  /** A node that stopped being a master no longer sees the writes: every copy goes. */
  private void followTopology() {
    List<InetSocketAddress> now;
    try {
      now = List.copyOf(masters.get());
    } catch (RuntimeException e) {
      return; // the client does not know right now; keep what we have
    }
    currentMasters = now;
    boolean dropped = connections.keySet().removeIf(address -> {
      if (now.contains(address)) {
        return false;
      }
      connections.get(address).close();
      return true;
    });
    if (dropped) {
      LOG.info("The Redis masters changed; near caches flushed");
      publish();
      flushAll();
    }
  }

  /**
   * The credentials were renewed: each connection is replaced by one that authenticates with the
   * new ones (a RESP2 connection, subscribed, may not send AUTH again). The old one serves until
   * its replacement is proven, so no copy is dropped.
   */
  public synchronized void credentialsRenewed() {
    credentialsEpoch++;
    staleCredentials.addAll(connections.keySet());
    nextAttemptAt = System.nanoTime();
  }

  /**
   * Opens a connection to each master that has none, one missing a subscribed prefix, or one
   * with credentials older than the renewed ones.
   */
  private void connectMissing(long now) {
    if (now - nextAttemptAt >= 0) {
      for (InetSocketAddress node : currentMasters) {
        TrackingConnection connection = connections.get(node);
        if ((connection == null || !tracksAll(connection) || staleCredentials.contains(node))
            && opening.add(node)) {
          opener.execute(() -> open(node));
        }
      }
    }
    publish();
  }

  private boolean tracksAll(TrackingConnection connection) {
    for (String prefix : subscriptions.keySet()) {
      if (!connection.tracks(prefix)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A tracking connection in the configured protocol; with {@code auto}, the one a server
   * accepted last (RESP2 at first), then the other if the server refuses it with an error reply
   * (Redis Software refuses {@code REDIRECT}). Says once, at INFO, which one serves.
   */
  private TrackingConnection openTracking(InetSocketAddress node, Set<String> prefixes)
      throws IOException {
    TrackingConnection.Protocol first = switch (connector.protocol()) {
      case RESP2 -> TrackingConnection.Protocol.RESP2;
      case RESP3 -> TrackingConnection.Protocol.RESP3;
      case AUTO -> accepted != null ? accepted : TrackingConnection.Protocol.RESP2;
    };
    try {
      return opened(TrackingConnection.open(connector, node, prefixes, first, this), node, null);
    } catch (RespConnection.ErrorReply refused) {
      // An ACL that denies tracking (NOPERM) denies it in either protocol: asking again in the
      // other would only be refused too.
      if (connector.protocol() != RedisSettings.NearCacheProtocol.AUTO
          || String.valueOf(refused.getMessage()).startsWith("NOPERM")) {
        throw refused;
      }
      TrackingConnection.Protocol other = first == TrackingConnection.Protocol.RESP2
          ? TrackingConnection.Protocol.RESP3 : TrackingConnection.Protocol.RESP2;
      try {
        return opened(TrackingConnection.open(connector, node, prefixes, other, this), node,
            refused);
      } catch (RespConnection.ErrorReply alsoRefused) {
        alsoRefused.addSuppressed(refused);
        throw alsoRefused;
      }
    }
  }

  private TrackingConnection opened(TrackingConnection connection, InetSocketAddress node,
      RespConnection.ErrorReply refusedFirst) {
    TrackingConnection.Protocol protocol = connection.protocol();
    if (accepted != protocol) {
      accepted = protocol;
      LOG.info("Near cache invalidations from {} over {}{}", node,
          protocol == TrackingConnection.Protocol.RESP2
              ? "RESP2 (redirected to a subscribed connection)"
              : "RESP3 (pushed on the tracking connection)",
          refusedFirst == null ? "" : "; the other protocol was refused: "
              + refusedFirst.getMessage());
    }
    return connection;
  }

  /**
   * Opens a connection to {@code node} for every prefix subscribed now and puts it in place,
   * unless the node stopped being a master meanwhile or a connection tracking as much is
   * there. A first connection to a master starts every cache from nothing: whatever changed
   * before its subscription is unknown. A replacement only starts the caches it adds.
   */
  private void open(InetSocketAddress node) {
    Set<String> prefixes = Set.copyOf(subscriptions.keySet());
    int epoch;
    synchronized (this) {
      epoch = credentialsEpoch;
    }
    TrackingConnection connection = null;
    Exception failure = null;
    if (!prefixes.isEmpty()) {
      try {
        connection = openTracking(node, prefixes);
        if (!connection.awaitProof(connector.silenceMillis())) {
          connection.close();
          throw new IOException("no answer to a heartbeat");
        }
      } catch (IOException | RuntimeException e) {
        connection = null;
        failure = e;
      }
    }
    TrackingConnection replaced;
    synchronized (this) {
      replaced = connection == null ? null : connections.get(node);
    }
    // The connection it replaces serves until it has delivered all Redis sent it before the new
    // one tracked: a write acknowledged just before is announced on the old one only.
    boolean drained = replaced != null && replaced.awaitProof(connector.silenceMillis());
    synchronized (this) {
      opening.remove(node);
      if (prefixes.isEmpty()) {
        return;
      }
      if (connection == null) {
        // An error reply (an ACL without client|tracking, a Redis without REDIRECT) will most
        // likely be the answer next time too: ask rarely rather than handshake every second.
        boolean refused = failure instanceof RespConnection.ErrorReply;
        nextAttemptAt = System.nanoTime() + (refused ? REFUSED_RETRY_NANOS : reconnectDelay);
        reconnectDelay = Math.min(MAX_RECONNECT_DELAY_NANOS, reconnectDelay * 2);
        if (connections.containsKey(node)) {
          LOG.warn("Could not replace the near cache's invalidation connection to {} ({}); the "
              + "current one keeps serving", node, failure.getMessage());
        } else if (!warnedUnreachable) {
          warnedUnreachable = true;
          LOG.warn(refused
              ? "Redis at {} refused the near cache's invalidation connection ({}); reads go to "
                  + "Redis, asked again every 10 s"
              : "No near cache invalidations from {} ({}); reads go to Redis until they are back",
              node, failure.getMessage());
        }
        return;
      }
      TrackingConnection existing = connections.get(node);
      if (closed || connection.isClosed() || subscriptions.isEmpty()
          || !currentMasters.contains(node)
          || (existing != null && !tracksAtLeast(connection, existing))) {
        connection.close();
        return;
      }
      connections.put(node, connection);
      if (epoch == credentialsEpoch) {
        staleCredentials.remove(node);
      }
      if (existing == null) {
        flushAll();
      } else if (existing != replaced || !drained) {
        // It went silent (or was swapped meanwhile): what it had on its way is unknown.
        existing.close();
        flushAll();
      } else {
        existing.close();
        for (Subscription subscription : subscriptions.values()) {
          if (!existing.tracks(subscription.prefix) && connection.tracks(subscription.prefix)) {
            subscription.target.flush();
          }
        }
      }
      reconnectDelay = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
      if (warnedUnreachable) {
        LOG.info("Near cache invalidations from {} again", node);
        warnedUnreachable = false;
      }
      publish();
    }
  }

  /** Whether {@code candidate} tracks every subscribed prefix {@code existing} tracks. */
  private boolean tracksAtLeast(TrackingConnection candidate, TrackingConnection existing) {
    for (String prefix : subscriptions.keySet()) {
      if (existing.tracks(prefix) && !candidate.tracks(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** Makes the set of connections visible to readers: all masters covered, or none. */
  private void publish() {
    boolean all = !currentMasters.isEmpty()
        && currentMasters.stream().allMatch(connections::containsKey);
    if (!all) {
      fresh = false;
    }
    complete = all ? connections.values().toArray(TrackingConnection[]::new)
        : new TrackingConnection[0];
    updateServing();
  }

  /** Each cache serves while the feed is fresh and every master's connection tracks it. */
  private void updateServing() {
    TrackingConnection[] all = complete;
    boolean proven = fresh && all.length > 0;
    for (Subscription subscription : subscriptions.values()) {
      boolean tracked = proven;
      for (int i = 0; tracked && i < all.length; i++) {
        tracked = all[i].tracks(subscription.prefix);
      }
      subscription.serving = tracked;
    }
  }

  private void flushAll() {
    for (Subscription subscription : subscriptions.values()) {
      subscription.target.flush();
    }
  }

  @Override
  public void invalidate(List<?> redisKeys) {
    for (Object redisKey : redisKeys) {
      if (redisKey == null) {
        continue;
      }
      String name = redisKey.toString();
      String prefix = prefixOf(name);
      Subscription subscription = prefix == null ? null : subscriptions.get(prefix);
      if (subscription != null) {
        subscription.target.invalidate(name);
      }
    }
  }

  @Override
  public void invalidateAll() {
    flushAll();
  }

  @Override
  public void lost(TrackingConnection connection, Exception cause) {
    synchronized (this) {
      if (!connections.remove(connection.address(), connection)) {
        return; // replaced or dropped already
      }
      fresh = false;
      publish(); // every cache stops serving
      if (closed) {
        return;
      }
    }
    flushAll();
    LOG.warn("Near cache invalidation connection to {} lost ({}); local copies dropped, reads "
        + "go to Redis until it is back", connection.address(), cause.toString());
  }

  @Override
  public synchronized void close() {
    closed = true;
    fresh = false;
    updateServing();
    ticks.cancel(false);
    connections.values().forEach(TrackingConnection::close);
    connections.clear();
    complete = new TrackingConnection[0];
  }
}
