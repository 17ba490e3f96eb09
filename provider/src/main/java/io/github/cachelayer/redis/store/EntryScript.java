package io.github.cachelayer.redis.store;

import io.github.cachelayer.store.StoredEntry;
import io.github.cachelayer.store.command.EntryCommand;
import io.github.cachelayer.store.command.EntryCommand.Condition;
import io.github.cachelayer.store.command.EntryCommand.Effect;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Java side of {@code entry.lua}: the twelve arguments of one entry and the four-element reply
 * of one entry, with the codes the script's header defines, written here once.
 */
public final class EntryScript {
  /** Arguments per entry: a bulk call sends several entries' arguments one after another. */
  static final int ARGUMENTS = 12;
  /** Reply elements per entry. */
  public static final int REPLY = 4;
  private static final byte[] NONE = new byte[0];
  private static final byte[] YES = ascii("1");
  private static final byte[] NO = ascii("0");

  private EntryScript() {}

  /** What the script found: ARGV-independent, as its header says. */
  enum Found { ABSENT, EXPIRED, LIVE }

  /**
   * One entry's reply.
   *
   * @param previousExpiry the expiry time the entry had ({@link StoredEntry#ETERNAL} if none)
   * @param previous its payload, empty when the script did not return it
   * @param changed whether the script wrote or removed the entry (not: touched or kept it)
   */
  public record Reply(Found found, boolean changed, long previousExpiry, byte[] previous) {}

  /**
   * The arguments for {@code command}, with its value and expected value already encoded.
   *
   * @param channel the cache's event channel, or null when nobody listens
   * @param origin this JVM's id in event messages
   */
  static Object[] arguments(EntryCommand<?> command, byte[] value, byte[] expected,
      long retentionMillis, String channel, String origin) {
    return new Object[] {
        ascii(condition(command.condition())),
        ascii(effect(command.effect())),
        value == null ? NONE : value,
        ascii(Long.toString(command.now())),
        ascii(Long.toString(command.durations().creation())),
        ascii(Long.toString(command.durations().update())),
        ascii(Long.toString(command.durations().access())),
        ascii(Long.toString(retentionMillis)),
        expected == null ? NONE : expected,
        command.needsPrevious() ? YES : NO,
        channel == null ? NONE : ascii(channel),
        channel == null ? NONE : ascii(origin)};
  }

  static String condition(Condition condition) {
    return switch (condition) {
      case ALWAYS -> "*";
      case ABSENT -> "A";
      case PRESENT -> "P";
      case EQUALS -> "E";
    };
  }

  static String effect(Effect effect) {
    return switch (effect) {
      case WRITE -> "W";
      case REMOVE -> "R";
      case TOUCH -> "T";
      case KEEP -> "K";
    };
  }

  /** The reply of the entry at {@code index} in a (bulk) reply. */
  public static Reply reply(List<Object> elements, int index) {
    int at = index * REPLY;
    Found found = switch ((char) ((byte[]) elements.get(at))[0]) {
      case 'L' -> Found.LIVE;
      case 'X' -> Found.EXPIRED;
      case 'A' -> Found.ABSENT;
      default -> throw new IllegalStateException("entry.lua answered an unknown state");
    };
    char effect = (char) ((byte[]) elements.get(at + 1))[0];
    long expiry = Long.parseLong(new String((byte[]) elements.get(at + 2),
        StandardCharsets.US_ASCII));
    return new Reply(found, effect == 'W' || effect == 'R',
        expiry == EntryFormat.ETERNAL_DIGITS ? StoredEntry.ETERNAL : expiry,
        (byte[]) elements.get(at + 3));
  }

  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
