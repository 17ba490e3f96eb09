package io.github.cachelayer.store.near;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One master's invalidations for one cache: a connection that asked Redis to track the cache's
 * key prefix in broadcast mode, redirected to itself, and subscribed to
 * {@code __redis__:invalidate} (how RESP2 receives them, so Redis 6.2 serves). Redis then sends
 * the name of every key under the prefix that any client changes, that expires or that is
 * evicted, and a null for FLUSHDB / FLUSHALL.
 *
 * <p>Heartbeat: a PING goes out on the same connection every tick; its answer comes after every
 * invalidation Redis sent before it, so an answered PING proves that nothing changed before it
 * was sent without this JVM knowing. {@link #provenAtNanos()} is the send time of the last
 * answered one.
 */
final class TrackingConnection {
  static final String CHANNEL = "__redis__:invalidate";

  /** What a connection reports, on its reader thread. */
  interface Listener {
    void invalidate(List<?> redisKeys);

    void invalidateAll();

    /** The connection failed or Redis closed it: invalidations may have been missed. */
    void lost(TrackingConnection connection, Exception cause);
  }

  private final InetSocketAddress address;
  private final RespConnection connection;
  private final Listener listener;
  private final Queue<Long> pingsSent = new ConcurrentLinkedQueue<>();
  private volatile long provenAtNanos = Long.MIN_VALUE;
  private volatile boolean closed;

  private TrackingConnection(InetSocketAddress address, RespConnection connection,
      Listener listener) {
    this.address = address;
    this.connection = connection;
    this.listener = listener;
  }

  /**
   * Connects, checks that the node is a master, switches tracking on for {@code prefix} and
   * subscribes; then reads invalidations on a thread of its own until closed or lost.
   */
  static TrackingConnection open(NodeConnector connector, InetSocketAddress address,
      String prefix, Listener listener) throws IOException {
    RespConnection connection = connector.connect(address);
    try {
      connection.call("CLIENT", "SETNAME", "cachelayer-near-cache");
      Object role = connection.call("ROLE");
      if (!(role instanceof List<?> parts) || parts.isEmpty() || !"master".equals(parts.get(0))) {
        throw new IOException("Redis at " + address + " is not a master");
      }
      String id = String.valueOf(connection.call("CLIENT", "ID"));
      connection.call("CLIENT", "TRACKING", "ON", "REDIRECT", id, "BCAST", "PREFIX", prefix);
      Object subscribed = connection.call("SUBSCRIBE", CHANNEL);
      if (!(subscribed instanceof List<?> reply) || !"subscribe".equals(reply.get(0))) {
        throw new IOException("Redis at " + address + " did not confirm the subscription");
      }
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
    TrackingConnection tracking = new TrackingConnection(address, connection, listener);
    Thread reader = new Thread(tracking::readUntilClosed, "cachelayer-near-cache " + address);
    reader.setDaemon(true);
    reader.start();
    return tracking;
  }

  InetSocketAddress address() {
    return address;
  }

  /** The send time of the last PING answered, in {@link System#nanoTime()}; MIN_VALUE for none. */
  long provenAtNanos() {
    return provenAtNanos;
  }

  /** Sends the next heartbeat; a failure to send is a lost connection. */
  void ping() {
    if (closed) {
      return;
    }
    pingsSent.add(System.nanoTime());
    try {
      connection.send("PING");
    } catch (IOException e) {
      fail(e);
    }
  }

  private void readUntilClosed() {
    try {
      while (!closed) {
        Object reply = connection.read();
        if (!(reply instanceof List<?> message) || message.isEmpty()) {
          continue;
        }
        Object kind = message.get(0);
        if ("message".equals(kind) && message.size() == 3 && CHANNEL.equals(message.get(1))) {
          if (message.get(2) instanceof List<?> keys) {
            listener.invalidate(keys);
          } else {
            listener.invalidateAll(); // a flush, or a message we cannot read: drop everything
          }
        } else if ("pong".equals(kind)) {
          Long sent = pingsSent.poll();
          if (sent != null) {
            provenAtNanos = sent;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
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
    return "TrackingConnection[" + address + (closed ? ", closed" : "") + "]";
  }
}
