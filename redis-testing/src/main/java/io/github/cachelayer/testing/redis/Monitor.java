package io.github.cachelayer.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** Records the commands a Redis server receives (MONITOR), for tests that count round trips. */
public final class Monitor implements AutoCloseable {
  private final Resp resp;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;
  private volatile boolean running = true;

  public Monitor(RedisServer server) {
    try {
      resp = server.connect();
      resp.setTimeout(200);
      if (!"OK".equals(resp.call("MONITOR"))) {
        throw new IllegalStateException("MONITOR refused");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reader = new Thread(this::read, "redis-monitor");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    while (running) {
      try {
        Object line = resp.read();
        synchronized (lines) {
          lines.add(String.valueOf(line));
        }
      } catch (SocketTimeoutException e) {
        // poll again
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Commands seen so far, each as MONITOR prints it. Waits briefly for stragglers first. */
  public List<String> commands() {
    RedisServer.sleep(300);
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  public void clear() {
    RedisServer.sleep(300);
    synchronized (lines) {
      lines.clear();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      resp.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
