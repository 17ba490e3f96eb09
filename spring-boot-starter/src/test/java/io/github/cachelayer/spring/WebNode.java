package io.github.cachelayer.spring;

import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Spring Boot application in a JVM of its own on a free port, and browsers that visit it. */
final class WebNode implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JvmNode jvm;
  final String base;

  private WebNode(JvmNode jvm, int port) {
    this.jvm = jvm;
    this.base = "http://127.0.0.1:" + port;
  }

  /** Starts {@code application} and waits for its Actuator health. */
  static WebNode start(String name, Class<?> application, Map<String, String> environment,
      String... arguments) {
    return start(name, application, environment, List.of(), arguments);
  }

  /** As {@link #start(String, Class, Map, String...)}, with options for its JVM. */
  static WebNode start(String name, Class<?> application, Map<String, String> environment,
      List<String> jvmOptions, String... arguments) {
    int port = RedisServer.freePort();
    List<String> args = new ArrayList<>(List.of("--server.port=" + port,
        "--server.address=127.0.0.1", "--management.endpoints.web.exposure.include=health"));
    args.addAll(List.of(arguments));
    WebNode node = new WebNode(JvmNode.start(name, application, args, environment, jvmOptions),
        port);
    try {
      Browser probe = new Browser();
      node.jvm.awaitReady(() -> probe.status(node, "GET", "/actuator/health") == 200,
          Duration.ofSeconds(90));
    } catch (RuntimeException | Error notReady) {
      node.close();
      throw notReady;
    }
    return node;
  }

  String output() {
    return jvm.output();
  }

  @Override
  public void close() {
    jvm.close();
  }

  /** A client with a cookie jar shared by every node it visits, as a browser behind a balancer. */
  static final class Browser {
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(5)).build();

    JsonNode get(WebNode node, String path) {
      return json(node, "GET", path);
    }

    JsonNode post(WebNode node, String path) {
      return json(node, "POST", path);
    }

    /** The session cookie's value, or null. */
    String sessionCookie() {
      return cookies.getCookieStore().getCookies().stream()
          .filter(cookie -> cookie.getName().equals("SESSION")).map(c -> c.getValue())
          .findFirst().orElse(null);
    }

    /** Sends {@code cookie} as the session cookie from now on (an old id, a stolen one). */
    void useSessionCookie(String value) {
      cookies.getCookieStore().removeAll();
      java.net.HttpCookie cookie = new java.net.HttpCookie("SESSION", value);
      cookie.setPath("/");
      cookie.setVersion(0);
      cookies.getCookieStore().add(URI.create("http://127.0.0.1/"), cookie);
    }

    int status(WebNode node, String method, String path) {
      try {
        return send(node, method, path).statusCode();
      } catch (IOException e) {
        return -1;
      }
    }

    private JsonNode json(WebNode node, String method, String path) {
      try {
        HttpResponse<String> response = send(node, method, path);
        if (response.statusCode() / 100 != 2) {
          throw new AssertionError(method + " " + path + " answered " + response.statusCode()
              + ": " + response.body() + "\nnode output:\n" + node.output());
        }
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError(method + " " + path + " failed; node output:\n"
            + node.output(), e);
      }
    }

    /** The whole response, whatever its status; {@code headers} are name, value pairs. */
    HttpResponse<String> exchange(WebNode node, String method, String path, String... headers) {
      try {
        return send(node, method, path, headers);
      } catch (IOException e) {
        throw new AssertionError(method + " " + path + " failed; node output:\n"
            + node.output(), e);
      }
    }

    private HttpResponse<String> send(WebNode node, String method, String path,
        String... headers) throws IOException {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(node.base + path))
          .method(method, HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(30));
      for (int i = 0; i + 1 < headers.length; i += 2) {
        builder.header(headers[i], headers[i + 1]);
      }
      HttpRequest request = builder.build();
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }
}
