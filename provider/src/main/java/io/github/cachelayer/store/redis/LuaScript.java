package io.github.cachelayer.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Lua script shipped as a resource beside this class. Its contract is written at the top of the
 * file and in docs/ARCHITECTURE.md. The client sends it by EVALSHA, loading it on NOSCRIPT (after a
 * restart or failover) through Redisson's script cache.
 */
final class LuaScript {
  static final LuaScript COMPARE_AND_SET = load("compare-and-set.lua");
  static final LuaScript ENTRY = load("entry.lua");
  static final LuaScript RATE_LIMIT = load("ratelimit.lua");
  static final LuaScript SESSION = load("session.lua");

  private final String name;
  private final String source;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
  }

  private static LuaScript load(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing Lua script resource " + name);
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String source() {
    return source;
  }

  @Override
  public String toString() {
    return name;
  }
}
