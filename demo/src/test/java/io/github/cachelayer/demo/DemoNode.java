package io.github.cachelayer.demo;

import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One instance of the demo service: a JVM of its own on a free port, driven over HTTP. */
final class DemoNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JvmNode jvm;
  final String base;

  /** One HTTP answer: status, headers and the JSON body (null when empty or not JSON). */
  record Answer(int status, HttpResponse<String> response, JsonNode json) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  private DemoNode(JvmNode jvm, int port) {
    this.jvm = jvm;
    this.base = "http://127.0.0.1:" + port;
  }

  /**
   * {@code environment} plus a window for the declared limit that cannot end during a test (the
   * demo's is a fixed minute, aligned to the clock: a test that counts exactly across a minute's
   * end would see two windows). Boot reads it from the environment as any property.
   */
  static Map<String, String> withExactLimits(Map<String, String> environment) {
    Map<String, String> all = new java.util.HashMap<>(environment);
    all.put("CACHELAYER_RATELIMIT_RULES_LIMITED_WINDOW", "36500d");
    return all;
  }

  /** Starts a node and waits until it serves; environment: REDIS_URL for Redis mode. */
  static DemoNode start(String name, Map<String, String> environment) {
    return start(name, environment, List.of());
  }

  /** As {@link #start(String, Map)}, with options for the node's JVM ({@code -Xmx...}). */
  static DemoNode start(String name, Map<String, String> environment, List<String> jvmOptions) {
    int port = RedisServer.freePort();
    JvmNode jvm = JvmNode.start(name, DemoApplication.class,
        List.of("--server.port=" + port, "--server.address=127.0.0.1"), environment,
        jvmOptions);
    DemoNode node = new DemoNode(jvm, port);
    try {
      jvm.awaitReady(() -> {
        try {
          return node.send("GET", "/actuator/health", null).status() == 200;
        } catch (RuntimeException notYet) {
          return false;
        }
      }, Duration.ofSeconds(90));
    } catch (RuntimeException | Error notReady) {
      node.close();
      throw notReady;
    }
    return node;
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer send(String method, String path, String jsonBody) {
    return sendBody(method, path, jsonBody == null ? null
        : HttpRequest.BodyPublishers.ofString(jsonBody));
  }

  /** A request with a body of the caller's making (a size, a chunked stream). */
  Answer sendBody(String method, String path, HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, body);
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      boolean json = response.headers().firstValue("Content-Type").orElse("")
          .contains("json");
      return new Answer(response.statusCode(), response,
          text.isEmpty() || !json ? null : JSON.readTree(text));
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String output() {
    return jvm.output();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
