package io.github.cachelayer.entraid;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** JWT-shaped access tokens as Entra ID issues them (unsigned: Redis here checks the string). */
final class Tokens {
  private Tokens() {}

  static String withPayload(String json) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(
        StandardCharsets.UTF_8)) + "." + encoder.encodeToString(json.getBytes(
        StandardCharsets.UTF_8)) + "." + encoder.encodeToString(UUID.randomUUID().toString()
        .getBytes(StandardCharsets.UTF_8));
  }

  static String forObject(String oid) {
    return withPayload("{\"aud\":\"https://redis.azure.com\",\"oid\":\"" + oid + "\","
        + "\"jti\":\"" + UUID.randomUUID() + "\",\"roles\":[\"a\",{\"oid\":\"nested\"}]}");
  }
}
