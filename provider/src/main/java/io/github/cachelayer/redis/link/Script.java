package io.github.cachelayer.redis.link;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script as the link sends it: by its SHA-1 (EVALSHA), loaded on the node that answers
 * NOSCRIPT (a fresh master after a restart or failover) and sent again; a NOSCRIPT ran nothing.
 */
public final class Script {
  private final String name;
  private final String source;
  private final String sha;

  public Script(String name, String source) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    this.sha = sha1(source);
  }

  public String source() {
    return source;
  }

  public String sha() {
    return sha;
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
