package io.github.cachelayer.entraid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application configured by properties alone ({@code provider = entra-id}) against a real
 * redis-server whose ACL users are object ids and whose passwords are the tokens issued, with
 * Azure Identity's {@code DefaultAzureCredential} getting its tokens from a managed-identity
 * endpoint on this machine (the App Service protocol: {@code IDENTITY_ENDPOINT},
 * {@code IDENTITY_HEADER}), in a JVM of its own so that it sees only that environment.
 */
class EntraIdRedisTest {
  private static final String FIRST = "0f7a3c9e-5b21-4d8f-a6e4-2c9b7d1e3f50";
  private static final String SECOND = "9b2e4d61-7c3a-4f15-8e9d-5a0c6b2d4e71";
  private static final String HEADER = "header-for-this-test";

  private RedisServer redis;
  private HttpServer identity;
  private final List<String> issued = new CopyOnWriteArrayList<>();
  private JvmNode node;

  @BeforeEach
  void start() throws IOException {
    redis = RedisServer.start();
    identity = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    identity.createContext("/msi/token", this::issue);
    identity.start();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    identity.stop(0);
    redis.close();
  }

  /**
   * The first token is for one object id and expires in 5 minutes and 5 seconds (so Azure
   * Identity's cache and CacheLayer's renewal, both 5 minutes ahead, replace it 5 s from now);
   * later ones are for another object id and last an hour. Each is an ACL user's password
   * before it is handed out, as Azure makes a token usable as it issues it.
   */
  private void issue(HttpExchange exchange) throws IOException {
    String header = exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER");
    if (!HEADER.equals(header)) {
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
      return;
    }
    boolean first = issued.isEmpty();
    String oid = first ? FIRST : SECOND;
    String token = Tokens.forObject(oid);
    long expiresOn = Instant.now().plusSeconds(first ? 305 : 3600).getEpochSecond();
    redis.call("ACL", "SETUSER", oid, "on", ">" + token, "~*", "&*", "+@all");
    issued.add(token);
    byte[] body = ("{\"access_token\":\"" + token + "\",\"expires_on\":\"" + expiresOn
        + "\",\"resource\":\"https://redis.azure.com\",\"token_type\":\"Bearer\","
        + "\"client_id\":\"11111111-2222-3333-4444-555555555555\"}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The users the connections of CacheLayer's managers authenticated as. */
  private List<String> usersOfConnections() {
    return redis.usersOfClients("cachelayer");
  }

  private void awaitAllConnectionsAs(String user) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<String> users = usersOfConnections();
      if (!users.isEmpty() && users.stream().allMatch(user::equals)) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "connections " + users + ", wanted all " + user
          + "\n" + node.output());
      Thread.sleep(100);
    }
  }

  @Test
  void anApplicationConfiguredByPropertiesAloneAuthenticatesWithTokensAndRenewsThem()
      throws Exception {
    node = JvmNode.start("entra", EntraIdNode.class, List.of(), Map.of(
            "REDIS_URL", redis.url(),
            "IDENTITY_ENDPOINT", "http://127.0.0.1:" + identity.getAddress().getPort()
                + "/msi/token",
            "IDENTITY_HEADER", HEADER),
        List.of("-Dcachelayer.redis.credentials.provider=entra-id",
            "-Dcachelayer.redis.credentials.retry-interval=500ms"));
    node.awaitLine("ready", Duration.ofSeconds(60));
    node.send("put k v1");
    node.awaitLine("put-k ok", Duration.ofSeconds(10));
    assertTrue(usersOfConnections().contains(FIRST), usersOfConnections() + node.output());

    node.send("loop during 6000");
    awaitAllConnectionsAs(SECOND);
    // The first token's user goes away, as an expired token stops working: Redis drops
    // every connection still authenticated as it.
    redis.call("ACL", "DELUSER", FIRST);
    String loop = node.awaitLine("loop-during", Duration.ofSeconds(30));
    assertTrue(loop.contains(" failures=0 "), loop + "\n" + node.output());
    node.send("loop after 500");
    String after = node.awaitLine("loop-after", Duration.ofSeconds(30));
    assertTrue(after.contains(" failures=0 "), after + "\n" + node.output());
    node.send("get k");
    assertEquals("got-k v1", node.awaitLine("got-k", Duration.ofSeconds(10)));
    node.send("health now");
    String health = node.awaitLine("health-now", Duration.ofSeconds(10));
    assertTrue(health.startsWith("health-now UP"), health);
    assertTrue(issued.size() >= 2, "tokens issued: " + issued.size());
    for (String token : issued) {
      assertFalse(node.output().contains(token), "a token was logged:\n" + node.output());
    }
  }
}
