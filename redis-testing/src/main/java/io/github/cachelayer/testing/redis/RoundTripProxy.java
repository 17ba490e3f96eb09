package io.github.cachelayer.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of one Redis server that counts round trips: on each connection,
 * every time the client sends after having received (or at first), a new request turn begins.
 * Pipelined commands, written together before the replies arrive, are one turn.
 */
public final class RoundTripProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicInteger turns = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  public RoundTripProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "round-trip-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "redis://127.0.0.1:" + port();
  }

  public int roundTrips() {
    return turns.get();
  }

  public void reset() {
    turns.set(0);
  }

  private void accept() {
    while (running) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        // 0: nothing yet, 1: the client spoke last, 2: the server spoke last
        AtomicInteger last = new AtomicInteger();
        pump(client.getInputStream(), upstream.getOutputStream(), last, 1);
        pump(upstream.getInputStream(), client.getOutputStream(), last, 2);
      } catch (IOException e) {
        if (running) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void pump(InputStream in, OutputStream out, AtomicInteger last, int side) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (last.getAndSet(side) != side && side == 1) {
            turns.incrementAndGet();
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException ignored) {
        // connection closed
      }
    }, "round-trip-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
