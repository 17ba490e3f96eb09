package io.github.cachelayer.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One redis-server process on a free loopback port, with persistence off, in a temporary
 * directory; stopped (and its directory removed) by {@link #close()} or at JVM exit.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final Process process;
  private final List<String> command;

  private RedisServer(int port, Path dir, Process process, List<String> command) {
    this.port = port;
    this.dir = dir;
    this.process = process;
    this.command = command;
  }

  /** Starts a standalone server. */
  public static RedisServer start(String... extraArgs) {
    return start(freePort(), extraArgs);
  }

  public static RedisServer start(int port, String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("cachelayer-redis-" + port);
      List<String> command = new ArrayList<>(List.of(RedisBinary.path().toString(),
          "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
          "--save", "", "--appendonly", "no", "--daemonize", "no",
          "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
      command.addAll(List.of(extraArgs));
      return launch(port, dir, command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the process, stops it at JVM exit at the latest, and waits until it answers. */
  private static RedisServer launch(int port, Path dir, List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    RedisServer server = new RedisServer(port, dir, process, command);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitReady();
    return server;
  }

  /**
   * Starts a Sentinel watching {@code masterName} at {@code masterPort} on loopback, quorum 1,
   * declaring the master down after one second.
   */
  public static RedisServer startSentinel(String masterName, int masterPort) {
    int port = freePort();
    try {
      Path dir = Files.createTempDirectory("cachelayer-sentinel-" + port);
      Path config = dir.resolve("sentinel.conf");
      Files.writeString(config, String.join("\n",
          "port " + port,
          "bind 127.0.0.1",
          "dir " + dir,
          "logfile " + dir.resolve("redis.log"),
          "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1",
          "sentinel down-after-milliseconds " + masterName + " 1000",
          "sentinel failover-timeout " + masterName + " 5000",
          "sentinel parallel-syncs " + masterName + " 1", ""));
      return launch(port, dir,
          List.of(RedisBinary.path().toString(), config.toString(), "--sentinel"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited: " + log());
      }
      try (Resp resp = connect()) {
        if ("PONG".equals(resp.call("PING"))) {
          return;
        }
      } catch (IOException e) {
        if (String.valueOf(e.getMessage()).contains("NOAUTH")) {
          return; // it answers; it wants a password
        }
        last = e;
      }
      sleep(20);
    }
    close();
    throw new IllegalStateException("redis-server on port " + port + " did not answer: " + last
        + " " + log());
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public Resp connect() throws IOException {
    return new Resp("127.0.0.1", port, 5_000);
  }

  /** Sends one command to this server (for test setup and assertions). */
  public Object call(String... args) {
    try (Resp resp = connect()) {
      return resp.call(args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's {@code redis_version}, as its {@code INFO server} says. */
  public String version() {
    return String.valueOf(call("INFO", "server")).lines()
        .filter(line -> line.startsWith("redis_version:"))
        .map(line -> line.substring("redis_version:".length()).trim())
        .findFirst().orElseThrow(() -> new IllegalStateException("INFO server names no version"));
  }

  /**
   * The ACL user each client named {@code namePrefix...} is authenticated as (CLIENT LIST's
   * {@code user=}): which credentials a manager's connections use now.
   */
  public List<String> usersOfClients(String namePrefix) {
    return String.valueOf(call("CLIENT", "LIST")).lines()
        .filter(line -> line.contains(" name=" + namePrefix))
        .map(line -> {
          int at = line.indexOf(" user=");
          int end = line.indexOf(' ', at + 6);
          return line.substring(at + 6, end < 0 ? line.length() : end);
        })
        .toList();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /**
   * Starts this (killed) server again, on the same port, directory and arguments: with
   * persistence on ({@code --appendonly yes}) it comes back with the data it had.
   */
  public RedisServer startAgain() {
    if (process.isAlive()) {
      throw new IllegalStateException("Redis on port " + port + " still runs");
    }
    try {
      return launch(port, dir, command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  public void pause() {
    signal("-STOP");
  }

  /** Lets a paused server run again (SIGCONT). */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " failed for Redis on port " + port);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server at once, as a crash would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    io.github.cachelayer.testing.Processes.stop(process);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  /** A free port on loopback, avoiding the machine's shared 6379. */
  public static int freePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        // Cluster nodes also listen on port + 10000.
        if (port != 6379 && port < 55_000) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("No free loopback port");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
