package io.github.cachelayer.redis.near;

import io.github.cachelayer.redis.socket.NodeConnector;
import io.github.cachelayer.resp.RespConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One master's invalidations for the near-cached caches of a manager: a connection that asked
 * Redis to track their key prefixes in broadcast mode. Redis then sends the name of every key
 * under them that any client changes, that expires or that is evicted, and a null for FLUSHDB /
 * FLUSHALL. Two ways of receiving them ({@link Protocol}): RESP2 redirects them to this same
 * connection, subscribed to {@code __redis__:invalidate} (Redis 6.2 serves that); RESP3 receives
 * them as push messages on the connection that asked, with no redirection and no subscription
 * (the only way Redis Software, Redis Cloud and Azure Managed Redis offer).
 *
 * <p>Heartbeat: a PING goes out on the same connection every tick; its answer comes after every
 * invalidation Redis sent before it (both modes write them into this connection's one output
 * stream), so an answered PING proves that nothing changed before it was sent without this JVM
 * knowing. {@link #provenAtNanos()} is the send time of the last answered one.
 */
final class TrackingConnection {
  /** How invalidations reach the connection. */
  enum Protocol {
    /** {@code CLIENT TRACKING ... REDIRECT <own id>}, then {@code SUBSCRIBE}. */
    RESP2,
    /** {@code HELLO 3}, then {@code CLIENT TRACKING ...}: invalidations come as pushes. */
    RESP3
  }

  static final String CHANNEL = "__redis__:invalidate";

  /** What a connection reports, on its reader thread. */
  interface Listener {
    void invalidate(List<?> redisKeys);

    void invalidateAll();

    /** The connection failed or Redis closed it: invalidations may have been missed. */
    void lost(TrackingConnection connection, Exception cause);
  }

  private final InetSocketAddress address;
  /** The key prefixes tracked: fixed for the connection's life (see {@link #open}). */
  private final Set<String> prefixes;
  private final RespConnection connection;
  private final Protocol protocol;
  private final Listener listener;
  private final Queue<Long> pingsSent = new ConcurrentLinkedQueue<>();
  private volatile long provenAtNanos = Long.MIN_VALUE;
  private volatile boolean closed;

  private TrackingConnection(InetSocketAddress address, Set<String> prefixes,
      RespConnection connection, Protocol protocol, Listener listener) {
    this.address = address;
    this.prefixes = prefixes;
    this.connection = connection;
    this.protocol = protocol;
    this.listener = listener;
  }

  /**
   * Connects, checks that the node is a master, switches tracking on for {@code prefixes} (and
   * subscribes, in RESP2); then reads invalidations on a thread of its own until closed or lost.
   * A connection never changes what it tracks: another prefix takes another connection.
   *
   * @param prefixes key prefixes of which none is a prefix of another (Redis refuses overlaps)
   * @throws RespConnection.ErrorReply if Redis refuses a step (an ACL, a server without
   *     {@code REDIRECT} or without RESP3)
   */
  static TrackingConnection open(NodeConnector connector, InetSocketAddress address,
      Set<String> prefixes, Protocol protocol, Listener listener) throws IOException {
    RespConnection connection = connector.connect(address);
    try {
      if (protocol == Protocol.RESP3) {
        connection.call("HELLO", "3");
      }
      try {
        connection.call("CLIENT", "SETNAME", "cachelayer-near-cache");
      } catch (RespConnection.ErrorReply refused) {
        // The name is for operators (CLIENT LIST); a service that refuses it still tracks.
      }
      Object role;
      try {
        role = connection.call("ROLE");
      } catch (RespConnection.ErrorReply hidden) {
        // A proxy in front of shards (Redis Software, Azure Managed Redis) may not say: the
        // client's own view of the masters, which named this address, decides.
        role = null;
      }
      if (role != null && (!(role instanceof List<?> parts) || parts.isEmpty()
          || !"master".equals(parts.get(0)))) {
        throw new IOException("Redis at " + address + " is not a master");
      }
      List<String> tracking = new ArrayList<>(List.of("CLIENT", "TRACKING", "ON"));
      if (protocol == Protocol.RESP2) {
        tracking.addAll(List.of("REDIRECT", String.valueOf(connection.call("CLIENT", "ID"))));
      }
      tracking.add("BCAST");
      for (String prefix : prefixes) {
        tracking.add("PREFIX");
        tracking.add(prefix);
      }
      connection.call(tracking.toArray(String[]::new));
      if (protocol == Protocol.RESP2) {
        Object subscribed = connection.call("SUBSCRIBE", CHANNEL);
        if (!(subscribed instanceof List<?> reply) || !"subscribe".equals(reply.get(0))) {
          throw new IOException("Redis at " + address + " did not confirm the subscription");
        }
      }
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
    TrackingConnection tracking = new TrackingConnection(address, Set.copyOf(prefixes),
        connection, protocol, listener);
    Thread reader = new Thread(tracking::readUntilClosed, "cachelayer-near-cache " + address);
    reader.setDaemon(true);
    reader.start();
    return tracking;
  }

  Protocol protocol() {
    return protocol;
  }

  InetSocketAddress address() {
    return address;
  }

  /** Whether Redis tells this connection of changes to keys under {@code prefix}. */
  boolean tracks(String prefix) {
    return prefixes.contains(prefix);
  }

  /**
   * Sends a heartbeat and waits up to {@code timeoutMillis} for its answer. Redis answers in the
   * order it writes to a connection, and the reader applies what comes in that order, so once
   * the answer is in, every invalidation Redis sent here before the heartbeat has been applied:
   * a new connection serves from then on, and one being replaced may be closed.
   */
  boolean awaitProof(long timeoutMillis) {
    long sent = ping();
    if (sent == Long.MIN_VALUE) {
      return false;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!answered(sent) && !closed && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(100_000);
    }
    return answered(sent) && !closed;
  }

  private boolean answered(long sent) {
    long proven = provenAtNanos;
    return proven != Long.MIN_VALUE && proven - sent >= 0;
  }

  /** The send time of the last PING answered, in {@link System#nanoTime()}; MIN_VALUE for none. */
  long provenAtNanos() {
    return provenAtNanos;
  }

  /**
   * Sends the next heartbeat; a failure to send is a lost connection. Returns its send time, or
   * MIN_VALUE when closed. Synchronized: the send times queue in the order the PINGs go out.
   */
  synchronized long ping() {
    if (closed) {
      return Long.MIN_VALUE;
    }
    long sent = System.nanoTime();
    pingsSent.add(sent);
    try {
      connection.send("PING");
    } catch (IOException e) {
      fail(e);
      return Long.MIN_VALUE;
    }
    return sent;
  }

  private void readUntilClosed() {
    try {
      while (!closed) {
        Object reply = connection.read();
        if (reply instanceof RespConnection.Push push) {
          // RESP3: ["invalidate", keys], keys null for a flush.
          List<Object> items = push.items();
          if (!items.isEmpty() && "invalidate".equals(items.get(0))) {
            // One we cannot read drops everything, as in RESP2.
            invalidate(items.size() == 2 ? items.get(1) : null);
          }
        } else if ("PONG".equals(reply)) {
          proven(); // RESP3 answers a PING with a status
        } else if (reply instanceof List<?> message && !message.isEmpty()) {
          Object kind = message.get(0);
          if ("message".equals(kind) && message.size() == 3 && CHANNEL.equals(message.get(1))) {
            invalidate(message.get(2));
          } else if ("pong".equals(kind)) {
            proven(); // RESP2, subscribed, answers with an array
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void invalidate(Object keys) {
    if (keys instanceof List<?> names) {
      listener.invalidate(names);
    } else {
      listener.invalidateAll(); // a flush, or a message we cannot read: drop everything
    }
  }

  private void proven() {
    Long sent = pingsSent.poll();
    if (sent != null) {
      provenAtNanos = sent;
    }
  }

  private void fail(Exception cause) {
    if (!closed) {
      closed = true;
      connection.close();
      listener.lost(this, cause);
    }
  }

  void close() {
    closed = true;
    connection.close();
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "TrackingConnection[" + address + ", " + protocol + ", " + prefixes.size() + " prefixes"
        + (closed ? ", closed" : "") + "]";
  }
}
