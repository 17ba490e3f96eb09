package io.github.cachelayer.store.near;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A near cache's invalidations from every master: one {@link TrackingConnection} per master
 * (a cluster's keys live on several), kept open, re-opened and matched to the topology by a
 * tick every {@value #TICK_MILLIS} ms, which also sends the heartbeats.
 *
 * <p>The near cache may serve a copy only while {@link #isFresh()}: every current master has a
 * connection whose heartbeat sent within the last {@value #PROVEN_WITHIN_MILLIS} ms was answered,
 * as the last tick found. Ticks come every {@value #TICK_MILLIS} ms, so a copy is served at most
 * {@value #FRESHNESS_MILLIS} ms after the last proof (with a tick to spare), and a read costs a
 * volatile read instead of a clock call, which would cost a near hit a third of its time. A
 * connection that is lost, replaced, or whose node stops being a master stops serving at once
 * and flushes the near cache before anything else happens on it.
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

  /** Where invalidations go: the near cache's local copies. */
  interface Target {
    void invalidate(List<?> redisKeys);

    /** Drops every local copy, and any read's copy still on its way. */
    void flush();
  }

  private final String cacheName;
  private final String prefix;
  private final NodeConnector connector;
  private final Supplier<List<InetSocketAddress>> masters;
  private final Target target;
  private final Map<InetSocketAddress, TrackingConnection> connections = new HashMap<>();
  private final ScheduledFuture<?> ticks;
  /** The connections of every current master, or empty while one is missing. */
  private volatile TrackingConnection[] complete = new TrackingConnection[0];
  /** Set by each tick; cleared at once when a connection is lost or the masters change. */
  private volatile boolean fresh;
  /** {@link System#nanoTime()} at the last tick: a clock for the copies' ttl, 100 ms coarse. */
  private volatile long tickNanos = System.nanoTime();
  private List<InetSocketAddress> currentMasters = List.of();
  /**
   * Opens connections off the upkeep thread: connecting to an unreachable node can take the
   * connect timeout, and the ticks of every near cache must go on meanwhile.
   */
  private final Executor opener;
  /** Nodes a connection is being opened to. */
  private final Set<InetSocketAddress> opening = new HashSet<>();
  private long topologyCheckedAt;
  private long nextAttemptAt;
  private long reconnectDelay = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
  private boolean closed;
  private boolean warnedUnreachable;

  /**
   * Opens the first connections at once (so that the near cache serves from the first reads),
   * then keeps them on {@code scheduler}.
   *
   * @param prefix the cache's key prefix, {@code <namespace>:<cache>:}
   * @param masters the master nodes now, as the manager's client sees them
   */
  InvalidationFeed(String cacheName, String prefix, NodeConnector connector,
      Supplier<List<InetSocketAddress>> masters, Target target,
      ScheduledExecutorService scheduler, Executor opener) {
    this.cacheName = cacheName;
    this.prefix = prefix;
    this.connector = connector;
    this.masters = masters;
    this.target = target;
    this.opener = opener;
    synchronized (this) {
      followTopology();
      currentMasters.forEach(this::open); // here, so the first reads are served locally
    }
    this.ticks = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** The time of the last tick, for ttl checks that must not read the clock. */
  long tickNanos() {
    return tickNanos;
  }

  /** Whether a copy held now is proven fresh: no change to it can be on its way unseen. */
  boolean isFresh() {
    return fresh;
  }

  /** Every current master's heartbeat answered lately, and no connection closed. */
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
        target.flush();
      }
      if (now - topologyCheckedAt >= TOPOLOGY_CHECK_NANOS || currentMasters.isEmpty()) {
        topologyCheckedAt = now;
        followTopology();
      }
      connectMissing(now);
      fresh = provenNow(System.nanoTime());
      for (TrackingConnection connection : connections.values()) {
        connection.ping();
      }
    } catch (RuntimeException e) {
      LOG.debug("Cache '{}': near cache upkeep failed: {}", cacheName, e.toString());
    }
  }

  /** A node that stopped being a master no longer sees the writes: its copies go. */
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
      LOG.info("Cache '{}': the masters changed; near cache flushed", cacheName);
      publish();
      target.flush();
    }
  }

  private void connectMissing(long now) {
    if (now - nextAttemptAt >= 0) {
      for (InetSocketAddress node : currentMasters) {
        if (!connections.containsKey(node) && opening.add(node)) {
          opener.execute(() -> open(node));
        }
      }
    }
    publish();
  }

  /**
   * Opens a connection to {@code node} and, unless the node stopped being a master meanwhile,
   * starts from nothing with it: whatever changed before its subscription is unknown.
   */
  private void open(InetSocketAddress node) {
    TrackingConnection connection = null;
    Exception failure = null;
    try {
      connection = TrackingConnection.open(connector, node, prefix, this);
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    synchronized (this) {
      opening.remove(node);
      if (connection == null) {
        nextAttemptAt = System.nanoTime() + reconnectDelay;
        reconnectDelay = Math.min(MAX_RECONNECT_DELAY_NANOS, reconnectDelay * 2);
        if (!warnedUnreachable) {
          warnedUnreachable = true;
          LOG.warn("Cache '{}': no near cache invalidations from {} ({}); reads go to Redis "
              + "until they are back", cacheName, node, failure.getMessage());
        }
        return;
      }
      if (closed || !currentMasters.contains(node) || connections.containsKey(node)) {
        connection.close();
        return;
      }
      target.flush();
      connections.put(node, connection);
      connection.ping();
      reconnectDelay = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
      if (warnedUnreachable) {
        LOG.info("Cache '{}': near cache invalidations from {} again", cacheName, node);
        warnedUnreachable = false;
      }
      publish();
    }
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
  }

  @Override
  public void invalidate(List<?> redisKeys) {
    target.invalidate(redisKeys);
  }

  @Override
  public void invalidateAll() {
    target.flush();
  }

  @Override
  public void lost(TrackingConnection connection, Exception cause) {
    synchronized (this) {
      fresh = false;
      if (connections.remove(connection.address(), connection)) {
        publish();
      }
      if (closed) {
        return;
      }
    }
    target.flush();
    LOG.warn("Cache '{}': near cache invalidation connection to {} lost ({}); local copies "
        + "dropped, reads go to Redis until it is back", cacheName, connection.address(),
        cause.toString());
  }

  @Override
  public synchronized void close() {
    closed = true;
    fresh = false;
    ticks.cancel(false);
    connections.values().forEach(TrackingConnection::close);
    connections.clear();
    complete = new TrackingConnection[0];
  }
}
