package io.github.cachelayer.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser as the demo's instances see it: one cookie jar for every instance it visits (as
 * behind a load balancer; cookies do not depend on the port), redirects not followed.
 */
final class Visitor {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
      .connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<String> get(DemoNode node, String path) {
    return send(HttpRequest.newBuilder(URI.create(node.base + path)).GET());
  }

  JsonNode me(DemoNode node) {
    HttpResponse<String> response = get(node, "/api/me");
    if (response.statusCode() != 200) {
      throw new AssertionError("/api/me answered " + response.statusCode() + " "
          + response.headers().map());
    }
    return JSON.readTree(response.body());
  }

  /** Posts a form from {@code formPage}, with the CSRF token that page holds. */
  HttpResponse<String> submit(DemoNode node, String formPage, String action,
      Map<String, String> fields) {
    HttpResponse<String> page = get(node, formPage);
    Matcher token = CSRF.matcher(page.body());
    if (!token.find()) {
      throw new AssertionError("no CSRF token on " + formPage + ": " + page.body());
    }
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("_csrf", token.group(1));
    String body = all.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(node.base + action))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> signIn(DemoNode node, String user, String password) {
    return submit(node, "/login", "/login", Map.of("username", user, "password", password));
  }

  /** The session cookie's value now, or null. */
  String sessionCookie() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(cookie -> cookie.getName().equals("SESSION")).map(HttpCookie::getValue)
        .findFirst().orElse(null);
  }

  /** Puts a session cookie in the jar, as a stolen or remembered one would be. */
  void useSessionCookie(DemoNode node, String value) {
    HttpCookie cookie = new HttpCookie("SESSION", value);
    cookie.setPath("/");
    cookie.setVersion(0);
    cookies.getCookieStore().add(URI.create(node.base), cookie);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
