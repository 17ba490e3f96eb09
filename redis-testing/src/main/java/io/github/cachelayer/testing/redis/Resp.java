package io.github.cachelayer.testing.redis;

import io.github.cachelayer.resp.RespConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The tests' client for setting servers up and looking at what they hold (PING, CLUSTER MEET,
 * INFO, MONITOR, planted bytes): the project's one RESP reader ({@link RespConnection}), with
 * limits generous enough for the large values the tests write. Replies as RespConnection reads
 * them; an error reply throws an {@link IOException} saying {@code Redis error: ...}.
 */
public final class Resp implements AutoCloseable {
  /** A test reads back what it wrote: values up to 512 MiB, as Redis allows. */
  private static final RespConnection.Limits LIMITS = new RespConnection.Limits(
      1 << 20, 512 << 20, 1 << 24, 32, 1L << 31);

  private final RespConnection connection;

  public Resp(String host, int port, int timeoutMillis) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      connection = new RespConnection(socket, LIMITS);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends one command and returns its reply: String, Long, List, null, or throws on -ERR. */
  public Object call(String... args) throws IOException {
    send(args);
    return read();
  }

  public void send(String... args) throws IOException {
    connection.send(args);
  }

  /**
   * Sends one command whose arguments are strings or byte arrays (to plant exact bytes), and
   * returns a bulk reply as its bytes (null for none), any other reply as its text's bytes.
   */
  public byte[] callBytes(Object... args) throws IOException {
    connection.sendRaw(args);
    Object reply;
    try {
      reply = connection.readBinary();
    } catch (RespConnection.ErrorReply e) {
      throw new IOException("Redis error: " + e.getMessage(), e);
    }
    if (reply instanceof List) {
      throw new IOException("callBytes takes commands with a single reply");
    }
    return reply == null || reply instanceof byte[] ? (byte[]) reply
        : String.valueOf(reply).getBytes(StandardCharsets.UTF_8);
  }

  public Object read() throws IOException {
    try {
      return connection.read();
    } catch (RespConnection.ErrorReply e) {
      throw new IOException("Redis error: " + e.getMessage(), e);
    }
  }

  public void setTimeout(int millis) throws IOException {
    connection.socket().setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
