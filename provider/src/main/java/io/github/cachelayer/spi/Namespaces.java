package io.github.cachelayer.spi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default key prefix of a manager, derived from its URI: {@code cachelayer} for the default
 * URI, the URI itself when it is short and plain, otherwise {@code cl-} and a hash of the URI (a
 * long file path would otherwise be repeated in every key). Set {@code cachelayer.redis.namespace}
 * to choose it.
 */
final class Namespaces {
  private Namespaces() {}

  static String fromUri(URI uri, boolean isDefaultUri) {
    if (isDefaultUri) {
      return "cachelayer";
    }
    String text = uri.toString();
    if (text.length() <= 32 && text.matches("[A-Za-z0-9._-]+")) {
      return text;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return "cl-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
