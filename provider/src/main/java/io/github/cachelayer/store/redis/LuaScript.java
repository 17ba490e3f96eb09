package io.github.cachelayer.store.redis;

import io.github.cachelayer.redis.link.Script;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Lua script shipped as a resource beside this class (the entry scripts with
 * {@code entry-format.lua} prepended: Redis has no includes). Its contract is written at the top
 * of the file and in docs/ARCHITECTURE.md. The link sends it by EVALSHA, loading it on NOSCRIPT
 * (after a restart or failover).
 */
final class LuaScript {
  /** The entry format's shared functions, prepended to the scripts that read or write entries. */
  private static final String ENTRY_FORMAT = text("entry-format.lua");

  static final LuaScript COMPARE_AND_SET = new LuaScript("compare-and-set.lua",
      text("compare-and-set.lua"));
  static final LuaScript ENTRY = withEntryFormat("entry.lua");
  static final LuaScript RATE_LIMIT = withEntryFormat("ratelimit.lua");
  static final LuaScript SESSION = withEntryFormat("session.lua");
  static final LuaScript COMPARE_AND_DELETE = new LuaScript("compare-and-delete.lua",
      text("compare-and-delete.lua"));

  private final String name;
  private final String source;
  private final Script script;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.script = new Script(name, source);
  }

  private static LuaScript withEntryFormat(String name) {
    return new LuaScript(name, ENTRY_FORMAT + text(name));
  }

  private static String text(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing Lua script resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String source() {
    return source;
  }

  /** The script as the link sends it. */
  Script script() {
    return script;
  }

  @Override
  public String toString() {
    return name;
  }
}
