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
 * null; an error reply throws {@link ErrorReply}.
 */
final class RespConnection implements Closeable {
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
        int length = Integer.parseInt(line);
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
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("Not a RESP2 reply (type byte " + type + ")");
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        throw new EOFException("Redis closed the connection within a reply");
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
