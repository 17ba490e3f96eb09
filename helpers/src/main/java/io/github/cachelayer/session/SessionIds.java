package io.github.cachelayer.session;

import java.security.SecureRandom;
import java.util.Base64;

/** Session ids: 192 bits from {@link SecureRandom}, URL-safe Base64 (32 characters). */
final class SessionIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BYTES = 24;
  static final int LENGTH = 32;

  private SessionIds() {}

  static String next() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code id} could be one of ours; anything else is looked up as no session. */
  static boolean isWellFormed(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** What logs and messages may show of an id: its first six characters. */
  static String abbreviate(String id) {
    return id == null ? "null" : id.substring(0, Math.min(6, id.length())) + "…";
  }
}
