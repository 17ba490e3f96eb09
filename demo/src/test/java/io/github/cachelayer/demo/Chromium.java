package io.github.cachelayer.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A headless Chromium driven as a person would use it, over the DevTools protocol: open a page,
 * type into it, click, read what it shows. Console errors and uncaught exceptions are kept.
 */
final class Chromium implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

  /** The Chromium on the PATH, or null. */
  static String binary() {
    for (String candidate : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (Files.isExecutable(Path.of(dir, candidate))) {
          return Path.of(dir, candidate).toString();
        }
      }
    }
    return null;
  }

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  static Chromium start(String binary) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile-");
    Process process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--window-size=1100,1000", "--remote-debugging-port=0",
        "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).start();
    String endpoint = devToolsEndpoint(process);
    int port = URI.create(endpoint).getPort();
    HttpClient http = HttpClient.newHttpClient();
    String pageSocket = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (pageSocket == null && System.nanoTime() < deadline) {
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode target : targets) {
        if (target.get("type").asString().equals("page")) {
          pageSocket = target.get("webSocketDebuggerUrl").asString();
        }
      }
      if (pageSocket == null) {
        Thread.sleep(100);
      }
    }
    if (pageSocket == null) {
      process.destroyForcibly();
      throw new IllegalStateException("Chromium opened no page");
    }
    Chromium[] self = new Chromium[1];
    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket),
        new WebSocket.Listener() {
          private final StringBuilder message = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
              self[0].received(JSON.readTree(message.toString()));
              message.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        }).get(20, TimeUnit.SECONDS);
    Chromium chromium = new Chromium(process, profile, socket);
    self[0] = chromium;
    chromium.call("Runtime.enable", Map.of());
    chromium.call("Page.enable", Map.of());
    return chromium;
  }

  private static String devToolsEndpoint(Process process) throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          int at = line.indexOf("ws://");
          if (line.contains("DevTools listening on") && at >= 0) {
            found.complete(line.substring(at).trim());
          }
        }
        found.completeExceptionally(new IllegalStateException("Chromium ended"));
      } catch (IOException e) {
        found.completeExceptionally(e);
      }
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    return found.get(30, TimeUnit.SECONDS);
  }

  private void received(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    String method = message.path("method").asString("");
    if (method.equals("Runtime.exceptionThrown")) {
      problems.add("uncaught: " + message.path("params").path("exceptionDetails"));
    } else if (method.equals("Runtime.consoleAPICalled")
        && message.path("params").path("type").asString("").equals("error")) {
      problems.add("console error: " + message.path("params").path("args"));
    }
  }

  JsonNode call(String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode request = JSON.createObjectNode();
    request.put("id", id);
    request.put("method", method);
    request.set("params", JSON.valueToTree(params));
    socket.sendText(request.toString(), true).join();
    try {
      JsonNode answer = reply.get(30, TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new IllegalStateException(method + ": " + answer.get("error"));
      }
      return answer.get("result");
    } catch (Exception e) {
      throw new IllegalStateException(method + " got no answer", e);
    }
  }

  /** Evaluates {@code script} in the page, awaiting a promise; its value as text. */
  String eval(String script) {
    JsonNode result = call("Runtime.evaluate", Map.of("expression", script,
        "returnByValue", true, "awaitPromise", true)).get("result");
    return result.has("value") ? result.get("value").asString() : null;
  }

  /** Opens {@code url} and waits until it has loaded. */
  void open(String url) {
    call("Page.navigate", Map.of("url", url));
    await("the page at " + url + " loads", () -> url.equals(eval("location.href"))
        && "complete".equals(eval("document.readyState")));
  }

  /** The text the element with {@code id} shows ("" when it has none, null when absent). */
  String text(String id) {
    return eval("(document.getElementById('" + id + "') || {}).textContent ?? null");
  }

  /** Waits up to 15 s for {@code condition}, polling. */
  void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("in Chromium, never: " + what + " (at " + eval("location.href")
            + ": " + eval("document.body ? document.body.innerText : ''") + ")");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Console errors and uncaught exceptions so far. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    socket.abort();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary profile left behind is harmless.
    }
  }
}
