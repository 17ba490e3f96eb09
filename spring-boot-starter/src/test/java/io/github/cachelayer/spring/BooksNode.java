package io.github.cachelayer.spring;

import com.example.books.BooksApplication;
import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One node of the books application: a Spring Boot JVM of its own, driven over HTTP. */
final class BooksNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JvmNode jvm;
  private final String base;

  private BooksNode(JvmNode jvm, int port) {
    this.jvm = jvm;
    this.base = "http://127.0.0.1:" + port;
  }

  /** @param environment REDIS_URL for Redis mode, empty for fallback mode */
  static BooksNode start(String name, Map<String, String> environment, String... arguments) {
    return start(name, environment, List.of(), arguments);
  }

  /** @param jvmOptions such as -Dcachelayer.redis.timeout=300ms */
  static BooksNode start(String name, Map<String, String> environment, List<String> jvmOptions,
      String... arguments) {
    return start(name, environment, jvmOptions, Path.of(System.getProperty("java.home")),
        arguments);
  }

  /** @param javaHome the Java the node runs on */
  static BooksNode start(String name, Map<String, String> environment, List<String> jvmOptions,
      Path javaHome, String... arguments) {
    int port = RedisServer.freePort();
    List<String> args = new java.util.ArrayList<>(List.of("--server.port=" + port,
        "--server.address=127.0.0.1"));
    args.addAll(List.of(arguments));
    JvmNode jvm = JvmNode.start(name, BooksApplication.class, args, environment, jvmOptions,
        javaHome);
    return new BooksNode(jvm, port);
  }

  /** Waits for Actuator's health; a node that does not come up is stopped, not left running. */
  BooksNode awaitReady() {
    try {
      jvm.awaitReady(() -> {
        try {
          return status("/actuator/health") == 200;
        } catch (IOException e) {
          return false;
        }
      }, Duration.ofSeconds(90));
    } catch (RuntimeException | Error notReady) {
      close();
      throw notReady;
    }
    return this;
  }

  private int status(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET()).statusCode();
  }

  /** CacheLayer's Actuator health, whatever its HTTP status (503 when DOWN). */
  JsonNode health() {
    try {
      return JSON.readTree(send(HttpRequest.newBuilder(
          URI.create(base + "/actuator/health/cachelayer")).GET()).body());
    } catch (IOException e) {
      throw new AssertionError("health failed; node output:\n" + jvm.output(), e);
    }
  }

  JsonNode get(String path) {
    return json(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** A request expected to fail: its JSON body, after checking the status. */
  JsonNode getFailing(String path, int status) {
    try {
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
      if (response.statusCode() != status) {
        throw new AssertionError(path + " answered " + response.statusCode() + ", not " + status
            + ": " + response.body() + "\nnode output:\n" + jvm.output());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(path + " failed; node output:\n" + jvm.output(), e);
    }
  }

  long pid() {
    return jvm.pid();
  }

  /** Stops the node's JVM at once, as a crash would. */
  void kill() {
    jvm.kill();
  }

  JsonNode put(String path) {
    return json(HttpRequest.newBuilder(URI.create(base + path))
        .PUT(HttpRequest.BodyPublishers.noBody()));
  }

  void delete(String path) {
    json(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private JsonNode json(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = send(request);
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(request.build() + " answered " + response.statusCode() + ": "
            + response.body() + "\nnode output:\n" + jvm.output());
      }
      return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(request.build() + " failed; node output:\n" + jvm.output(), e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The value of a meter on this node, from Actuator's metrics endpoint. */
  double meter(String name, String... tags) {
    StringBuilder path = new StringBuilder("/actuator/metrics/" + name);
    for (int i = 0; i < tags.length; i++) {
      path.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
    }
    return get(path.toString()).get("measurements").get(0).get("value").asDouble();
  }

  String output() {
    return jvm.output();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
