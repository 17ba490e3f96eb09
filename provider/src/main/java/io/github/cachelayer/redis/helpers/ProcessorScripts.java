package io.github.cachelayer.redis.helpers;

import io.github.cachelayer.ratelimit.AcquirePermits;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.redis.link.RedisLink;
import io.github.cachelayer.redis.store.EntryCommands;
import io.github.cachelayer.redis.store.EntryScript;
import io.github.cachelayer.redis.store.LuaScript;
import io.github.cachelayer.redis.store.ServerProcessors;
import io.github.cachelayer.session.MergeSession;
import io.github.cachelayer.session.TouchSession;
import io.github.cachelayer.store.EntryAction;
import io.github.cachelayer.store.command.EntryCommand.Durations;
import io.github.cachelayer.store.command.ProcessorCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The helpers' entry processors as server-side scripts, one round trip each: the rate limiter's
 * {@link AcquirePermits} as {@code ratelimit.lua}, the session manager's {@link TouchSession} and
 * {@link MergeSession} as {@code session.lua}. The processor is then replayed on the entry the
 * script found ({@link EntryCommands#settle}), for the caller's answer and the statistics. Any
 * other processor, or a value the script does not recognise, goes the general way
 * (compare-and-set).
 *
 * <p>A rate limit is decided on Redis's clock (the script's TIME), not the JVM's: JVMs whose
 * clocks disagree share one limit exactly. The replay decides at the time the script reports.
 */
public final class ProcessorScripts<K, V> implements ServerProcessors<K, V> {
  static final LuaScript RATE_LIMIT = LuaScript.withEntryFormat(ProcessorScripts.class,
      "ratelimit.lua");
  static final LuaScript SESSION = LuaScript.withEntryFormat(ProcessorScripts.class,
      "session.lua");

  private static final byte[] NONE = new byte[0];

  private final RedisLink link;
  private final HelperRecords codec;
  private final EntryCommands<K, V> commands;
  private final byte[] retention;

  ProcessorScripts(RedisLink link, HelperRecords codec, EntryCommands<K, V> commands,
      long retentionMillis) {
    this.link = link;
    this.codec = codec;
    this.commands = commands;
    this.retention = EntryScript.ascii(Long.toString(retentionMillis));
  }

  /**
   * The factory for a store whose codec is {@code records} (scripts read the helpers' records).
   *
   * @param retentionMillis how long Redis keeps an entry past its expiry time
   */
  public static ServerProcessors.Factory factory(RedisLink link, HelperRecords records,
      long retentionMillis) {
    return new ServerProcessors.Factory() {
      @Override
      public <K, V> ServerProcessors<K, V> forStore(EntryCommands<K, V> commands) {
        return new ProcessorScripts<>(link, records, commands, retentionMillis);
      }
    };
  }

  @Override
  public boolean runs(Object processor) {
    return knows(processor);
  }

  /** Whether a script runs {@code processor}. */
  static boolean knows(Object processor) {
    return processor instanceof AcquirePermits || processor instanceof TouchSession
        || processor instanceof MergeSession;
  }

  /**
   * Runs the command's processor as its script; returns {result}, or null when it must run as
   * Java (no script for it, or the entry holds something the script does not read).
   */
  @Override
  public <R> Object[] run(String redisKey, K key, ProcessorCommand command,
      EntryAction<V, R> action) {
    LuaScript lua;
    Object[] arguments;
    if (command.processor() instanceof AcquirePermits acquire
        && action instanceof io.github.cachelayer.store.command.ScriptableAction<?>) {
      lua = RATE_LIMIT;
      arguments = rateLimit(acquire, command);
    } else if (command.processor() instanceof TouchSession touch) {
      lua = SESSION;
      arguments = session("T", touch.now(), Map.of(), command);
    } else if (command.processor() instanceof MergeSession merge) {
      lua = SESSION;
      arguments = session("M", merge.now(), merge.changes(), command);
    } else {
      return null;
    }
    List<Object> reply = link.eval(lua.script(), RedisLink.Resend.NEVER, List.of(redisKey),
        arguments);
    if (((byte[]) reply.get(0))[0] == 'N') {
      return null;
    }
    if (command.processor() instanceof AcquirePermits acquire
        && action instanceof io.github.cachelayer.store.command.ScriptableAction<?> scriptable) {
      // The script decided on Redis's clock: the replay decides at the same time.
      long serverNow = Long.parseLong(new String((byte[]) reply.get(EntryScript.REPLY),
          java.nio.charset.StandardCharsets.US_ASCII));
      scriptable.decidedAt(serverNow, new AcquirePermits(acquire.rule(), acquire.permits(),
          serverNow));
    }
    return commands.settle(EntryScript.reply(reply, 0), key, action);
  }

  private Object[] rateLimit(AcquirePermits acquire, ProcessorCommand command) {
    RateLimit rule = acquire.rule();
    String algorithm = switch (rule.algorithm()) {
      case FIXED_WINDOW -> "F";
      case SLIDING_WINDOW -> "S";
      case TOKEN_BUCKET -> "T";
    };
    long extra = rule.algorithm() == RateLimit.Algorithm.SLIDING_WINDOW
        ? rule.slots() : rule.refillPermits();
    Durations durations = command.durations();
    // Both times empty: the script decides, and computes the state's expiry, on Redis's clock,
    // which every JVM sharing the limit shares, whatever their own clocks say.
    return new Object[] {
        ascii(algorithm), number(rule.limit()), number(rule.period().toMillis()), number(extra),
        number(acquire.permits()), NONE, NONE,
        number(durations.creation()), number(durations.update()), retention};
  }

  private Object[] session(String operation, long now, Map<String, Object> changes,
      ProcessorCommand command) {
    List<Object> arguments = new ArrayList<>(5 + changes.size() * 3);
    arguments.add(ascii(operation));
    arguments.add(number(now));
    arguments.add(number(command.now()));
    arguments.add(number(command.durations().update()));
    arguments.add(retention);
    changes.forEach((name, value) -> {
      arguments.add(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      arguments.add(ascii(value == null ? "0" : "1"));
      arguments.add(value == null ? NONE : codec.inner().encode(value));
    });
    return arguments.toArray();
  }

  private static byte[] number(long value) {
    return ascii(Long.toString(value));
  }

  private static byte[] ascii(String text) {
    return EntryScript.ascii(text);
  }
}
