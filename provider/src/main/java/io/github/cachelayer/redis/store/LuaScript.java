package io.github.cachelayer.redis.store;

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
public final class LuaScript {
  /** The entry format's shared functions, prepended to the scripts that read or write entries. */
  private static final String ENTRY_FORMAT = text("entry-format.lua");

  static final LuaScript COMPARE_AND_SET = new LuaScript("compare-and-set.lua",
      text("compare-and-set.lua"));
  static final LuaScript ENTRY = withEntryFormat(LuaScript.class, "entry.lua");
  static final LuaScript COMPARE_AND_DELETE = new LuaScript("compare-and-delete.lua",
      text("compare-and-delete.lua"));
  static final LuaScript COMPARE_AND_EXPIRE = new LuaScript("compare-and-expire.lua",
      text("compare-and-expire.lua"));

  private final String name;
  private final String source;
  private final Script script;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.script = new Script(name, source);
  }

  /**
   * A script shipped beside {@code owner} that reads or writes entries: {@code entry-format.lua}
   * is prepended (the helpers' scripts are loaded this way from their own package).
   */
  public static LuaScript withEntryFormat(Class<?> owner, String name) {
    return new LuaScript(name, ENTRY_FORMAT + text(owner, name));
  }

  private static String text(String name) {
    return text(LuaScript.class, name);
  }

  private static String text(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing Lua script resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String source() {
    return source;
  }

  /** The script as the link sends it. */
  public Script script() {
    return script;
  }

  @Override
  public String toString() {
    return name;
  }
}
