package io.github.cachelayer.redis;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default key prefix of a manager, derived from its URI: {@code cachelayer} for the default
 * URI; for a URI naming a configuration file ({@code file:}, {@code jar:}, {@code classpath:}),
 * the file's name without its extension, because the path to it differs between machines and
 * deploys (a versioned jar, another install directory) while nodes of one application must
 * share their caches; the URI itself when it is short and plain; otherwise {@code cl-} and a hash
 * of the URI. Set {@code cachelayer.redis.namespace} to choose it.
 */
public final class Namespaces {
  private Namespaces() {}

  public static String fromUri(URI uri, boolean isDefaultUri) {
    if (isDefaultUri) {
      return "cachelayer";
    }
    String text = uri.toString();
    String scheme = uri.getScheme();
    if ("file".equals(scheme) || "jar".equals(scheme) || "classpath".equals(scheme)) {
      String file = text.substring(Math.max(text.lastIndexOf('/'), text.lastIndexOf(':')) + 1);
      int extension = file.lastIndexOf('.');
      String name = (extension > 0 ? file.substring(0, extension) : file)
          .replaceAll("[^A-Za-z0-9._-]", "-");
      if (!name.isEmpty() && name.length() <= 64) {
        return name;
      }
    }
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
