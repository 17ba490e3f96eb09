package io.github.cachelayer.testing.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal RESP2 client for setting test servers up (PING, CLUSTER MEET, INFO, MONITOR). */
public final class Resp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public Resp(String host, int port, int timeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Sends one command and returns its reply: String, Long, List, null, or throws on -ERR. */
  public Object call(String... args) throws IOException {
    send(args);
    return read();
  }

  public void send(String... args) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      buffer.write(bytes);
      buffer.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(buffer.toByteArray());
    out.flush();
  }

  /**
   * Sends one command whose arguments are strings or byte arrays (to plant exact bytes), and
   * returns a bulk reply as its bytes (null for none), any other reply as its text's bytes.
   */
  public byte[] callBytes(Object... args) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (Object arg : args) {
      byte[] bytes = arg instanceof byte[] raw ? raw
          : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
      buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      buffer.write(bytes);
      buffer.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(buffer.toByteArray());
    out.flush();
    Object reply = read(true);
    if (reply instanceof List) {
      throw new IOException("callBytes takes commands with a single reply");
    }
    return reply == null || reply instanceof byte[] ? (byte[]) reply
        : String.valueOf(reply).getBytes(StandardCharsets.UTF_8);
  }

  public Object read() throws IOException {
    return read(false);
  }

  /** One reply; bulk strings as bytes when {@code binary}, else as text. */
  private Object read(boolean binary) throws IOException {
    int type = in.read();
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        readLine();
        return binary ? bytes : new String(bytes, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(binary));
        }
        return items;
      }
      default:
        throw new IOException("Unexpected RESP type " + type);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Connection closed");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      previous = b;
    }
  }

  public void setTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
