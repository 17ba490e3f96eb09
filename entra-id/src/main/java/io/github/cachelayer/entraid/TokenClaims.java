package io.github.cachelayer.entraid;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one claim the Redis user name comes from: {@code oid}, the object id of the identity a
 * token was issued to. A token is read as untrusted input: its length is bounded before it is
 * decoded, and nothing but the payload's top-level string claims is looked at.
 */
final class TokenClaims {
  /** Entra access tokens are a few kilobytes; anything far larger is not one. */
  static final int MAX_TOKEN_CHARS = 16_384;
  /** An object id is a GUID; a user name may be longer, but never this long. */
  static final int MAX_USER_NAME = 256;

  private TokenClaims() {}

  /**
   * The {@code oid} claim of a JWT access token.
   *
   * @throws IllegalArgumentException if the token is not a JWT of bounded size, or carries no
   *     usable {@code oid} (the message never quotes the token)
   */
  static String objectId(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("the access token is empty");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException("the access token is " + token.length()
          + " characters long, more than the " + MAX_TOKEN_CHARS + " an Entra token has");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0) {
      throw new IllegalArgumentException("the access token is not a JWT (header.payload."
          + "signature): set cachelayer.redis.credentials.user-name to the identity's object id");
    }
    byte[] payload;
    try {
      payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the access token's payload is not base64url", e);
    }
    String oid = stringClaim(payload, "oid");
    if (oid == null) {
      throw new IllegalArgumentException("the access token has no 'oid' claim: set "
          + "cachelayer.redis.credentials.user-name to the identity's object id");
    }
    if (oid.isEmpty() || oid.length() > MAX_USER_NAME || !oid.chars().allMatch(
        c -> c > ' ' && c < 127)) {
      throw new IllegalArgumentException("the access token's 'oid' claim is not an object id");
    }
    return oid;
  }

  /** A top-level string claim of a JSON object, or null; nested values are skipped whole. */
  private static String stringClaim(byte[] json, String name) {
    try (JsonReader reader = JsonProviders.createReader(new String(json,
        StandardCharsets.UTF_8))) {
      if (reader.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("the access token's payload is not a JSON object");
      }
      String found = null;
      while (reader.nextToken() == JsonToken.FIELD_NAME) {
        String field = reader.getFieldName();
        JsonToken value = reader.nextToken();
        if (field.equals(name) && value == JsonToken.STRING) {
          found = reader.getString();
        } else {
          reader.skipChildren();
        }
      }
      return found;
    } catch (IOException | IllegalStateException e) {
      throw new IllegalArgumentException("the access token's payload is not valid JSON", e);
    }
  }
}
