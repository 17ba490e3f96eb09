package io.github.cachelayer.redis.near;

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
 * One RESP2 connection of its own, outside the Redis client's pools: an invalidation connection
 * stays subscribed with tracking switched on for its whole life, which no pooled connection may.
 * Replies are read as {@code String} (simple and bulk strings), {@code Long}, {@code List} or
 * null; an error reply throws {@link ErrorReply}. What Redis sends is not trusted: a line, a bulk
 * string, an array's length and its nesting are bounded before anything is allocated, and a
 * reply past a bound fails the connection (its near cache then flushes and reconnects, as on any
 * lost connection) rather than the JVM.
 */
final class RespConnection implements Closeable {
  /** The longest status, error or length line read. */
  static final int MAX_LINE = 65_536;
  /** The longest bulk string read: a key in an invalidation, or a short command reply. */
  static final int MAX_BULK = 1 << 20;
  /** The most elements of one array: the keys of one invalidation message. */
  static final int MAX_ARRAY = 1 << 20;
  /** The deepest nesting of arrays (an invalidation is two deep). */
  static final int MAX_DEPTH = 8;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RespConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1024);
  }

  /** An error reply of Redis, such as {@code -ERR unknown command}. */
  static final class ErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  /** Sends one command; the caller reads its reply (or a reader thread does). */
  synchronized void send(String... arguments) throws IOException {
    out.write(('*' + Integer.toString(arguments.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String argument : arguments) {
      byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
      out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
    out.flush();
  }

  /** Sends a command and reads its reply: only before a reader thread owns the input. */
  Object call(String... arguments) throws IOException {
    send(arguments);
    return read();
  }

  Object read() throws IOException {
    return read(0);
  }

  private Object read(int depth) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("Redis closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = length(line, MAX_BULK, "bulk string");
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
          throw new EOFException("Redis closed the connection within a reply");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = length(line, MAX_ARRAY, "array");
        if (count < 0) {
          return null;
        }
        if (depth >= MAX_DEPTH) {
          throw new IOException("RESP2 arrays nested deeper than " + MAX_DEPTH);
        }
        // Sized by what arrived, not by what the length line claims.
        List<Object> items = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
          items.add(read(depth + 1));
        }
        return items;
      }
      default:
        throw new IOException("Not a RESP2 reply (type byte " + type + ")");
    }
  }

  /** A length line's value: -1 (null) up to {@code max}, else the connection is not trusted. */
  private static int length(String line, int max, String what) throws IOException {
    long value;
    try {
      value = Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new IOException("Malformed RESP2 " + what + " length", e);
    }
    if (value < -1 || value > max) {
      throw new IOException("RESP2 " + what + " of " + value + " exceeds " + max);
    }
    return (int) value;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        throw new EOFException("Redis closed the connection within a reply");
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("RESP2 line longer than " + MAX_LINE);
      }
      if (c == '\r') {
        if (in.read() != '\n') {
          throw new IOException("Malformed RESP2 line");
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
