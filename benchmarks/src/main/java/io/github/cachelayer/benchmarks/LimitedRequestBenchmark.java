package io.github.cachelayer.benchmarks;

import io.github.cachelayer.benchmarks.web.LimitedApplication;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A request to a Boot servlet application (Tomcat, in the benchmark's JVM, over loopback HTTP,
 * one keep-alive connection per thread):
 * the same endpoint unlimited, limited by a CacheLayer rule declared in properties, and limited
 * by hand with one Lua call per request on a raw client (Spring Cloud Gateway's way). 1,000
 * clients, each its own counter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LimitedRequestBenchmark {
  static final int CLIENTS = 1_000;

  @Param({"unlimited", "cachelayer", "raw-lua"})
  public String endpoint;

  private ConfigurableApplicationContext application;
  private URI uri;
  private String[] clients;

  @Setup(Level.Trial)
  public void open() {
    int port = RedisServer.freePort();
    // CacheLayer's own settings: the application's JCache manager reads system properties.
    System.setProperty("cachelayer.redis.url", Peers.redisUrl());
    application = SpringApplication.run(LimitedApplication.class,
        "--server.port=" + port, "--server.address=127.0.0.1",
        "--spring.main.banner-mode=off",
        "--server.tomcat.max-keep-alive-requests=-1",
        "--bench.redis.url=" + Peers.redisUrl(),
        "--cachelayer.session.enabled=false",
        "--cachelayer.rate-limit.rules.api.path=/api/**",
        "--cachelayer.rate-limit.rules.api.limit=1000000000",
        "--cachelayer.rate-limit.rules.api.window=1m",
        "--cachelayer.rate-limit.rules.api.algorithm=fixed-window",
        "--cachelayer.rate-limit.rules.api.key=header:X-Client");
    String path = switch (endpoint) {
      case "unlimited" -> "/open";
      case "cachelayer" -> "/api/limited";
      case "raw-lua" -> "/raw";
      default -> throw new IllegalArgumentException(endpoint);
    };
    uri = URI.create("http://127.0.0.1:" + port + path);
    clients = new String[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = "client_" + i;
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    application.close();
  }

  /**
   * One keep-alive HTTP/1.1 connection per thread, written and read by hand: what is measured is
   * the server's work, not an HTTP client's pool.
   */
  @State(Scope.Thread)
  public static class Connection {
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] buffer = new byte[8192];

    @Setup(Level.Trial)
    public void open(LimitedRequestBenchmark benchmark) throws IOException {
      socket = new Socket(benchmark.uri.getHost(), benchmark.uri.getPort());
      socket.setTcpNoDelay(true);
      out = new BufferedOutputStream(socket.getOutputStream());
      in = new BufferedInputStream(socket.getInputStream());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      socket.close();
    }

    /** Sends a GET and reads the whole answer; its status. */
    int get(String path, String client) throws IOException {
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client: " + client
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line();
      int length = 0;
      for (String header = line(); !header.isEmpty(); header = line()) {
        if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(header.substring(15).trim());
        }
      }
      while (length > 0) {
        int read = in.read(buffer, 0, Math.min(buffer.length, length));
        if (read < 0) {
          throw new IOException("the server closed the connection");
        }
        length -= read;
      }
      return Integer.parseInt(status.substring(9, 12));
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("the server closed the connection");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  @Benchmark
  public int limitedRequest(Connection connection) throws Exception {
    int status = connection.get(uri.getPath(),
        clients[ThreadLocalRandom.current().nextInt(CLIENTS)]);
    if (status != 200) {
      throw new IllegalStateException(uri + " answered " + status);
    }
    return status;
  }
}
