package io.github.cachelayer.resp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to a Redis node outside any client's pools, speaking RESP2, or RESP3 once
 * {@code HELLO 3} was sent: the near cache's invalidation connections (tracking switched on for
 * their whole life, which no pooled connection may have), credential checks, and the test
 * servers' set-up client. Replies are read as {@code String} (simple, bulk and verbatim strings,
 * doubles and big numbers; bulk strings as {@code byte[]} from {@link #readBinary()}),
 * {@code Long}, {@code Boolean}, {@code List} (arrays, sets, and maps as their keys and values in
 * turn), a {@link Push} (RESP3 out-of-band data, such as an invalidation) or null; an error reply
 * throws {@link ErrorReply}; RESP3 attributes are read and dropped. What Redis sends is not
 * trusted: a line, a bulk string, an aggregate's length, its nesting and the whole reply are
 * bounded ({@link Limits}) before anything is allocated, and a reply past a bound fails the
 * connection rather than the JVM.
 */
public final class RespConnection implements Closeable {
  /** The longest status, error or length line read by default. */
  public static final int MAX_LINE = 65_536;
  /** The longest bulk string read by default: a key in an invalidation, a short reply. */
  public static final int MAX_BULK = 1 << 20;
  /** The most elements of one aggregate by default: the keys of one invalidation message. */
  public static final int MAX_ARRAY = 1 << 20;
  /** The deepest nesting of aggregates by default (an invalidation is two deep). */
  public static final int MAX_DEPTH = 8;
  /**
   * The most one reply may hold in all by default: its strings' bytes, and
   * {@value #ELEMENT_COST} bytes for each element (what keeping it costs, however short). Each
   * bound above holds per string or per aggregate; this one holds for the whole reply, so an
   * aggregate of a million strings of a MiB each fails after 64 MiB instead of filling the heap.
   */
  public static final long MAX_REPLY_BYTES = 64L << 20;
  static final int ELEMENT_COST = 16;

  /**
   * What one reply may hold.
   *
   * @param maxLine the longest status, error or length line
   * @param maxBulk the longest bulk string
   * @param maxArray the most elements of one aggregate
   * @param maxDepth the deepest nesting of aggregates
   * @param maxReplyBytes the most one whole reply may hold (strings, and 16 bytes per element)
   */
  public record Limits(int maxLine, int maxBulk, int maxArray, int maxDepth,
      long maxReplyBytes) {
    /** For replies of a server this JVM does not control. */
    public static final Limits DEFAULT =
        new Limits(MAX_LINE, MAX_BULK, MAX_ARRAY, MAX_DEPTH, MAX_REPLY_BYTES);

    public Limits {
      if (maxLine < 16 || maxBulk < 0 || maxArray < 0 || maxDepth < 1 || maxReplyBytes < 0) {
        throw new IllegalArgumentException("limits too small: " + this);
      }
    }
  }

  /** Data Redis pushed on a RESP3 connection, not a reply to a command. */
  public record Push(List<Object> items) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Limits limits;
  /** What the reply being read may still hold ({@code maxReplyBytes}); the reader's alone. */
  private long replyBudget;
  /** Whether the reply being read keeps bulk strings as bytes. */
  private boolean binary;

  /** A connection with the {@link Limits#DEFAULT default limits}. */
  public RespConnection(Socket socket) throws IOException {
    this(socket, Limits.DEFAULT);
  }

  public RespConnection(Socket socket, Limits limits) throws IOException {
    this.socket = socket;
    this.limits = limits;
    this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1024);
  }

  /** The socket, for its timeouts. */
  public Socket socket() {
    return socket;
  }

  /** An error reply of Redis, such as {@code -ERR unknown command}. */
  public static final class ErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  /** Sends one command; the caller reads its reply (or a reader thread does). */
  public void send(String... arguments) throws IOException {
    sendRaw((Object[]) arguments);
  }

  /** Sends one command whose arguments are text (UTF-8) or exact bytes ({@code byte[]}). */
  public synchronized void sendRaw(Object... arguments) throws IOException {
    out.write(('*' + Integer.toString(arguments.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (Object argument : arguments) {
      byte[] bytes = argument instanceof byte[] raw ? raw
          : String.valueOf(argument).getBytes(StandardCharsets.UTF_8);
      out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
    out.flush();
  }

  /** Sends a command and reads its reply: only before a reader thread owns the input. */
  public Object call(String... arguments) throws IOException {
    send(arguments);
    return read();
  }

  /** The next reply. */
  public Object read() throws IOException {
    return read(false);
  }

  /** The next reply, its bulk strings as {@code byte[]} (exact bytes, such as a value's). */
  public Object readBinary() throws IOException {
    return read(true);
  }

  private Object read(boolean asBytes) throws IOException {
    replyBudget = limits.maxReplyBytes();
    binary = asBytes;
    return read(0);
  }

  private void spend(long bytes) throws IOException {
    replyBudget -= bytes;
    if (replyBudget < 0) {
      throw new IOException("RESP reply larger than " + limits.maxReplyBytes()
          + " bytes in all");
    }
  }

  private Object read(int depth) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("Redis closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
      case ',': // a double
      case '(': // a big number
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        try {
          return Long.parseLong(line);
        } catch (NumberFormatException e) {
          throw new IOException("Malformed RESP integer", e);
        }
      case '_':
        return null;
      case '#':
        if (!"t".equals(line) && !"f".equals(line)) {
          throw new IOException("Malformed RESP3 boolean");
        }
        return "t".equals(line);
      case '$': {
        byte[] bytes = bulk(line);
        return bytes == null || binary ? bytes : new String(bytes, StandardCharsets.UTF_8);
      }
      case '=': {
        byte[] bytes = bulk(line);
        String verbatim = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        // Three letters of format and a colon come first (txt:, mkd:).
        if (verbatim == null || verbatim.length() < 4 || verbatim.charAt(3) != ':') {
          throw new IOException("Malformed RESP3 verbatim string");
        }
        return verbatim.substring(4);
      }
      case '!': {
        byte[] bytes = bulk(line);
        throw new ErrorReply(bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8));
      }
      case '*':
      case '~': // a set
        return aggregate(line, 1, depth, "array");
      case '%': // a map: its keys and values in turn
        return aggregate(line, 2, depth, "map");
      case '>': {
        List<Object> items = aggregate(line, 1, depth, "push");
        if (items == null) {
          throw new IOException("Malformed RESP3 push");
        }
        return new Push(items);
      }
      case '|': // attributes of the reply that follows: nothing we use
        aggregate(line, 2, depth, "attribute");
        // One level deeper, so a stream of attributes ends at the nesting bound, not the stack.
        return read(depth + 1);
      default:
        throw new IOException("Not a RESP reply (type byte " + type + ")");
    }
  }

  private byte[] bulk(String line) throws IOException {
    int length = length(line, limits.maxBulk(), "bulk string");
    if (length < 0) {
      return null;
    }
    spend(length);
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("Redis closed the connection within a reply");
    }
    return bytes;
  }

  /** An aggregate of {@code count x perEntry} elements (a map's entries have two). */
  private List<Object> aggregate(String line, int perEntry, int depth, String what)
      throws IOException {
    int count = length(line, limits.maxArray() / perEntry, what);
    if (count < 0) {
      return null;
    }
    if (depth >= limits.maxDepth()) {
      throw new IOException("RESP aggregates nested deeper than " + limits.maxDepth());
    }
    int elements = count * perEntry;
    // Sized by what arrived, not by what the length line claims.
    List<Object> items = new ArrayList<>(Math.min(elements, 64));
    for (int i = 0; i < elements; i++) {
      spend(ELEMENT_COST);
      items.add(read(depth + 1));
    }
    return items;
  }

  /** A length line's value: -1 (null) up to {@code max}, else the connection is not trusted. */
  private static int length(String line, int max, String what) throws IOException {
    long value;
    try {
      value = Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new IOException("Malformed RESP " + what + " length", e);
    }
    if (value < -1 || value > max) {
      throw new IOException("RESP " + what + " of " + value + " exceeds " + max);
    }
    return (int) value;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        throw new EOFException("Redis closed the connection within a reply");
      }
      if (line.length() >= limits.maxLine()) {
        throw new IOException("RESP line longer than " + limits.maxLine());
      }
      if (c == '\r') {
        if (in.read() != '\n') {
          throw new IOException("Malformed RESP line");
        }
        return line.toString();
      }
      line.append((char) c);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with it
    }
  }
}
