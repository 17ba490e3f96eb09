package io.github.cachelayer.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of one Redis server that does to its connections what real
 * networks do, on a test's word, while keeping the sockets open: holds bytes up (a TCP
 * retransmission stall: the bytes arrive later, in order), discards them in one direction or
 * both (a firewall or NAT that lost the connection's state), delays them, or severs connections
 * with a reset. Each connection forwards its two directions on threads of its own; a held
 * direction stops reading, so the client's later bytes wait behind the held ones as they would
 * in TCP. It also counts round trips: on each connection, every time the client sends after
 * having received (or at first), a new request turn begins; pipelined commands, written together
 * before the replies arrive, are one turn.
 */
public final class FaultProxy implements AutoCloseable {
  /** Which way the bytes travel. */
  public enum Direction { TO_SERVER, TO_CLIENT, BOTH }

  private final ServerSocket server;
  private final int targetPort;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final AtomicReference<Hold> nextHold = new AtomicReference<>();
  private volatile Stalls stalls;
  private volatile long delayNanos;
  private final AtomicInteger heldDelivered = new AtomicInteger();
  private final AtomicInteger heldRefused = new AtomicInteger();
  private final AtomicInteger heldStarted = new AtomicInteger();
  private final AtomicInteger turns = new AtomicInteger();
  private volatile boolean running = true;
  private volatile boolean partitioned;

  private record Hold(byte[] pattern, long nanos) {}

  /** Commands containing these bytes are answered with this error instead of reaching Redis. */
  private record Refusal(byte[] pattern, byte[] reply) {}

  private final List<Refusal> refusals = new CopyOnWriteArrayList<>();

  private record Stalls(double probability, long minNanos, long maxNanos, Random random) {}

  public FaultProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "fault-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "redis://127.0.0.1:" + port();
  }

  /**
   * The next bytes towards the server that contain {@code text} (a command's argument, such as
   * a value) are held for {@code hold}, and everything after them on that connection with them;
   * other connections go on. Once: later matches pass.
   */
  public void holdNext(String text, Duration hold) {
    nextHold.set(new Hold(text.getBytes(StandardCharsets.UTF_8), hold.toNanos()));
  }

  /**
   * From now on, each read towards the server is held, with the given probability, for a random
   * time between {@code min} and {@code max} (a stall of that connection).
   */
  /**
   * From now on, every command whose bytes contain {@code text} is answered by the proxy with the
   * error reply {@code -error} and never reaches Redis (refusals add up) (a managed Redis refusing an option, as
   * Redis Software refuses {@code CLIENT TRACKING ... REDIRECT}). Commands must arrive one per
   * write, as a client waiting for each reply sends them.
   */
  public void refuse(String text, String error) {
    refusals.add(new Refusal(text.getBytes(StandardCharsets.UTF_8),
        ("-" + error + "\r\n").getBytes(StandardCharsets.UTF_8)));
  }

  public void stallRandomly(double probability, Duration min, Duration max, long seed) {
    stalls = new Stalls(probability, min.toNanos(), max.toNanos(), new Random(seed));
  }

  /** Every byte, both ways, waits {@code delay} before it is passed on. */
  public void delay(Duration delay) {
    delayNanos = delay.toNanos();
  }

  /**
   * The connections open now discard every byte in {@code direction} from here on, and stay
   * open; new connections work. As a stateful firewall or NAT does after losing its state.
   */
  public void blackholeExisting(Direction direction) {
    for (Connection connection : connections) {
      if (direction != Direction.TO_CLIENT) {
        connection.toServer.dropping.set(true);
      }
      if (direction != Direction.TO_SERVER) {
        connection.toClient.dropping.set(true);
      }
    }
  }

  /**
   * The connections open now pass nothing, either way, for {@code stall} (then everything held
   * arrives, in order), while staying open: a long retransmission stall. New connections work.
   */
  public void stallExisting(Duration stall) {
    long until = System.nanoTime() + stall.toNanos();
    for (Connection connection : connections) {
      connection.toServer.stallUntil = until;
      connection.toClient.stallUntil = until;
    }
  }

  /**
   * A partition: from now until {@link #heal}, every connection, open now or opened later,
   * discards what it carries both ways. After healing, new connections work and the ones open
   * during the partition stay silent (as behind a firewall that lost their state).
   */
  public void partition() {
    partitioned = true;
    blackholeExisting(Direction.BOTH);
  }

  /** Ends every connection open now with a reset, both ways. */
  public void sever() {
    for (Connection connection : connections) {
      connection.abort();
    }
  }

  /** No more stalls, holds or delays for new bytes (black-holed connections stay so). */
  public void heal() {
    partitioned = false;
    stalls = null;
    nextHold.set(null);
    delayNanos = 0;
  }

  /** Request turns since the start or the last {@link #resetRoundTrips}. */
  public int roundTrips() {
    return turns.get();
  }

  public void resetRoundTrips() {
    turns.set(0);
  }

  /**
   * Closes every connection whose last {@code AUTH} (or {@code HELLO ... AUTH}) passed before
   * {@code nanos} ({@link System#nanoTime}; one that never sent any, before it opened): what a managed Redis does to
   * a connection whose token expired. Returns how many it closed.
   */
  public int dropAuthenticatedBefore(long nanos) {
    int dropped = 0;
    for (Connection connection : connections) {
      if (!connection.closed.get() && connection.lastAuthNanos - nanos < 0) {
        connection.close();
        dropped++;
      }
    }
    return dropped;
  }

  /** Connections the proxy forwards now. */
  public int openConnections() {
    int open = 0;
    for (Connection connection : connections) {
      if (!connection.closed.get()) {
        open++;
      }
    }
    return open;
  }

  /** Held bytes (by {@link #holdNext}) that reached the server once released. */
  public int heldDelivered() {
    return heldDelivered.get();
  }

  /** Held bytes that could not be delivered: the server had closed the connection meanwhile. */
  public int heldRefused() {
    return heldRefused.get();
  }

  /** Holds that started (the pattern was seen). */
  public int heldStarted() {
    return heldStarted.get();
  }

  private void accept() {
    while (running) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        Connection connection = new Connection(client, upstream);
        if (partitioned) {
          connection.toServer.dropping.set(true);
          connection.toClient.dropping.set(true);
        }
        connections.add(connection);
        connection.start();
      } catch (IOException e) {
        if (running) {
          // A refused upstream (server down) drops that client connection; go on.
          continue;
        }
        return;
      }
    }
  }

  private final class Connection {
    final Socket client;
    final Socket upstream;
    final Pump toServer;
    final Pump toClient;
    final AtomicBoolean closed = new AtomicBoolean();
    /** Who spoke last: 0 nobody yet, 1 the client, 2 the server. */
    final AtomicInteger lastSpeaker = new AtomicInteger();
    /** When the client last sent AUTH (System.nanoTime); a new connection counts from its start. */
    volatile long lastAuthNanos = System.nanoTime();

    Connection(Socket client, Socket upstream) throws IOException {
      this.client = client;
      this.upstream = upstream;
      this.toServer = new Pump(this, client.getInputStream(), upstream.getOutputStream(), true);
      this.toClient = new Pump(this, upstream.getInputStream(), client.getOutputStream(), false);
    }

    void start() {
      toServer.start("fault-proxy-to-server");
      toClient.start("fault-proxy-to-client");
    }

    void abort() {
      for (Socket socket : new Socket[] {client, upstream}) {
        try {
          socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      close();
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        closeQuietly(client);
        closeQuietly(upstream);
        connections.remove(this);
      }
    }
  }

  private final class Pump {
    final Connection connection;
    final InputStream in;
    final OutputStream out;
    final boolean towardsServer;
    final AtomicBoolean dropping = new AtomicBoolean();
    /** System.nanoTime until which this direction passes nothing. */
    volatile long stallUntil;

    Pump(Connection connection, InputStream in, OutputStream out, boolean towardsServer) {
      this.connection = connection;
      this.in = in;
      this.out = out;
      this.towardsServer = towardsServer;
    }

    void start(String name) {
      Thread thread = new Thread(this::run, name);
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      byte[] buffer = new byte[64 * 1024];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (dropping.get()) {
            continue;
          }
          int speaker = towardsServer ? 1 : 2;
          if (connection.lastSpeaker.getAndSet(speaker) != speaker && towardsServer) {
            turns.incrementAndGet();
          }
          if (towardsServer && (indexOf(buffer, read, AUTH) >= 0
              || indexOf(buffer, read, AUTH_LOWER) >= 0)) {
            connection.lastAuthNanos = System.nanoTime();
          }
          Refusal refused = towardsServer ? refusalFor(buffer, read) : null;
          if (refused != null) {
            OutputStream toClient = connection.client.getOutputStream();
            synchronized (toClient) {
              toClient.write(refused.reply());
              toClient.flush();
            }
            continue;
          }
          boolean held = towardsServer && holdIfMatching(buffer, read);
          if (!held && towardsServer) {
            stallMaybe();
          }
          long delay = delayNanos;
          if (delay > 0) {
            sleep(delay);
          }
          long stalled = stallUntil - System.nanoTime();
          if (stalled > 0) {
            sleep(stalled);
          }
          if (dropping.get()) {
            continue;
          }
          try {
            synchronized (out) {
              out.write(buffer, 0, read);
              out.flush();
            }
            if (held) {
              heldDelivered.incrementAndGet();
            }
          } catch (IOException e) {
            if (held) {
              heldRefused.incrementAndGet();
            }
            throw e;
          }
        }
      } catch (IOException ignored) {
        // closed on either side
      }
      connection.close();
    }

    private Refusal refusalFor(byte[] buffer, int length) {
      for (Refusal refusal : refusals) {
        if (indexOf(buffer, length, refusal.pattern()) >= 0) {
          return refusal;
        }
      }
      return null;
    }

    private boolean holdIfMatching(byte[] buffer, int length) {
      Hold hold = nextHold.get();
      if (hold == null || indexOf(buffer, length, hold.pattern()) < 0
          || !nextHold.compareAndSet(hold, null)) {
        return false;
      }
      heldStarted.incrementAndGet();
      sleep(hold.nanos());
      return true;
    }

    private void stallMaybe() {
      Stalls current = stalls;
      if (current == null) {
        return;
      }
      long stall;
      synchronized (current.random()) {
        if (current.random().nextDouble() >= current.probability()) {
          return;
        }
        stall = current.minNanos()
            + (long) (current.random().nextDouble() * (current.maxNanos() - current.minNanos()));
      }
      sleep(stall);
    }
  }

  /** An AUTH command, or the AUTH of a HELLO, as a bulk string argument. */
  private static final byte[] AUTH = "$4\r\nAUTH\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUTH_LOWER = "$4\r\nauth\r\n".getBytes(StandardCharsets.US_ASCII);

  private static int indexOf(byte[] buffer, int length, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (buffer[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Connection connection : connections) {
      connection.abort();
    }
  }
}
