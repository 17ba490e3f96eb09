package io.github.cachelayer.redis.helpers;

import io.github.cachelayer.codec.CodecException;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.ratelimit.LimiterState;
import io.github.cachelayer.session.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A codec that writes the helpers' values ({@link LimiterState}, {@link Session}) in a layout
 * the Redis store's scripts read and rewrite on the server, and everything else through the
 * cache's own codec. A helper record starts with a zero byte and a type letter; no codec CacheLayer
 * ships starts a payload with a zero byte (Kryo writes zero only for null, which is never
 * stored; Java serialization starts with 0xAC, JSON with text), so the two never mix up.
 *
 * <ul>
 *   <li>{@code \0L} then the state's numbers in decimal ASCII, comma-separated:
 *       {@code \0L3,1733220000000}.</li>
 *   <li>{@code \0S} then length-prefixed fields {@code <length>:<bytes>}: id, user id, created,
 *       last accessed, expires (epoch milliseconds in decimal), the session's own idle timeout
 *       (milliseconds in decimal) only when it has one, then per attribute its name and its
 *       value as the inner codec writes it. The count of fields tells whether the idle timeout
 *       is there: five fixed fields and pairs make an odd count, six an even one.</li>
 * </ul>
 * Not used under encryption: a helper record there goes through the encrypting codec like any
 * value, and the store decides helpers in Java.
 */
public final class HelperRecords implements ValueCodec {
  static final byte MARK = 0;
  static final byte LIMITER = 'L';
  static final byte SESSION = 'S';
  /** The most numbers a limiter state holds: a sliding window of 1,000 slots, and its head. */
  static final int MAX_LIMITER_NUMBERS = 1_002;

  private final ValueCodec inner;

  public HelperRecords(ValueCodec inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  /** The codec that writes everything but the helpers' records. */
  public ValueCodec inner() {
    return inner;
  }

  @Override
  public byte[] encode(Object value) {
    if (value instanceof LimiterState state) {
      return limiter(state);
    }
    if (value instanceof Session session) {
      return session(session);
    }
    return inner.encode(value);
  }

  @Override
  public byte[] encode(Object value, String place, int headroom) {
    if (value instanceof LimiterState || value instanceof Session) {
      return ValueCodec.super.encode(value, place, headroom);
    }
    return inner.encode(value, place, headroom);
  }

  private static byte[] limiter(LimiterState state) {
    StringBuilder text = new StringBuilder(8 + state.size() * 8);
    text.append((char) MARK).append((char) LIMITER);
    for (int i = 0; i < state.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(state.get(i));
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] session(Session session) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.write(MARK);
    out.write(SESSION);
    field(out, ascii(session.id()));
    field(out, session.userId().getBytes(StandardCharsets.UTF_8));
    field(out, ascii(Long.toString(session.createdAtMillis())));
    field(out, ascii(Long.toString(session.lastAccessedAtMillis())));
    field(out, ascii(Long.toString(session.expiresAtMillis())));
    if (session.maxIdleMillis() > 0) {
      field(out, ascii(Long.toString(session.maxIdleMillis())));
    }
    for (Map.Entry<String, Object> attribute : session.attributes().entrySet()) {
      field(out, attribute.getKey().getBytes(StandardCharsets.UTF_8));
      field(out, inner.encode(attribute.getValue()));
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ascii(Integer.toString(bytes.length)));
    out.write(':');
    out.writeBytes(bytes);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether the payload at {@code offset} is a session record (its key is a session id). */
  public static boolean isSession(byte[] bytes, int offset) {
    return bytes.length - offset >= 2 && bytes[offset] == MARK && bytes[offset + 1] == SESSION;
  }

  @Override
  public boolean keyIsSecret(byte[] bytes, int offset) {
    return isSession(bytes, offset);
  }

  @Override
  public Object decode(byte[] bytes) {
    return decode(bytes, 0);
  }

  @Override
  public Object decode(byte[] bytes, int offset) {
    if (bytes.length - offset < 2 || bytes[offset] != MARK) {
      return inner.decode(bytes, offset);
    }
    try {
      return switch (bytes[offset + 1]) {
        case LIMITER -> limiter(bytes, offset + 2);
        case SESSION -> session(bytes, offset + 2);
        default -> throw new CodecException("Unknown helper record type " + bytes[offset + 1]);
      };
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new CodecException("A damaged helper record (" + (bytes.length - offset)
          + " bytes)", e);
    }
  }

  private static LimiterState limiter(byte[] bytes, int from) {
    String text = new String(bytes, from, bytes.length - from, StandardCharsets.US_ASCII);
    if (text.isEmpty()) {
      return new LimiterState();
    }
    String[] parts = text.split(",", -1);
    if (parts.length > MAX_LIMITER_NUMBERS) {
      throw new CodecException("A limiter state of " + parts.length + " numbers (at most "
          + MAX_LIMITER_NUMBERS + ")");
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Long.parseLong(parts[i]);
    }
    return new LimiterState(values);
  }

  private Session session(byte[] bytes, int from) {
    boolean hasMaxIdle = new Fields(bytes, from).count() % 2 == 0;
    Fields fields = new Fields(bytes, from);
    String id = fields.text();
    String userId = fields.text();
    long created = Long.parseLong(fields.text());
    long accessed = Long.parseLong(fields.text());
    long expires = Long.parseLong(fields.text());
    long maxIdle = hasMaxIdle ? Long.parseLong(fields.text()) : 0;
    if (maxIdle < 0) {
      throw new NumberFormatException("a negative idle timeout");
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (fields.hasNext()) {
      String name = fields.text();
      attributes.put(name, inner.decode(fields.bytes()));
    }
    return Session.of(id, userId, created, accessed, expires, maxIdle, attributes);
  }

  /**
   * Reads {@code <length>:<bytes>} fields one after another. Bytes from Redis: a length has at
   * most nine digits and may not reach past the record's end, checked before anything is copied.
   */
  private static final class Fields {
    private static final int MAX_DIGITS = 9;
    private final byte[] bytes;
    private int position;

    Fields(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    boolean hasNext() {
      return position < bytes.length;
    }

    /** How many fields follow, checked as {@link #bytes()} checks them, nothing copied. */
    int count() {
      int count = 0;
      while (hasNext()) {
        skip();
        count++;
      }
      return count;
    }

    private int skip() {
      int length = 0;
      int digits = 0;
      while (position < bytes.length && bytes[position] != ':') {
        int digit = bytes[position++] - '0';
        if (digit < 0 || digit > 9 || ++digits > MAX_DIGITS) {
          throw new NumberFormatException("not a field length");
        }
        length = length * 10 + digit;
      }
      if (digits == 0 || position >= bytes.length) {
        throw new NumberFormatException("a field without its length");
      }
      position++;
      if (length > bytes.length - position) {
        throw new IndexOutOfBoundsException("a field of " + length + " bytes where "
            + (bytes.length - position) + " remain");
      }
      int start = position;
      position += length;
      return start;
    }

    byte[] bytes() {
      int start = skip();
      return java.util.Arrays.copyOfRange(bytes, start, position);
    }

    String text() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }
  }
}
