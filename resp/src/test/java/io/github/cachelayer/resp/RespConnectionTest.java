package io.github.cachelayer.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The invalidation connection's reader against replies no Redis should send (a proxy's, a
 * broken server's): every length and the nesting are refused before anything is allocated.
 */
class RespConnectionTest {
  /** Reads one reply from a server that sends {@code bytes} (then keeps the socket open). */
  private static Object readFrom(byte[] bytes) throws Exception {
    return readFrom(bytes, RespConnection.Limits.DEFAULT, false);
  }

  private static Object readFrom(byte[] bytes, RespConnection.Limits limits, boolean binary)
      throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept();
        RespConnection connection = new RespConnection(client, limits)) {
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = accepted.getOutputStream();
          out.write(bytes);
          out.flush();
        } catch (IOException closed) {
          // the reader gave up first
        }
      });
      writer.start();
      try {
        return binary ? connection.readBinary() : connection.read();
      } finally {
        writer.join(10_000);
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void bulkStringsAreReadAsExactBytesWhenAsked() throws Exception {
    byte[] reply = {'$', '3', '\r', '\n', (byte) 0xff, 0, (byte) 0x80, '\r', '\n'};
    assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0x80},
        (byte[]) readFrom(reply, RespConnection.Limits.DEFAULT, true));
  }

  @Test
  void limitsOtherThanTheDefaultHold() throws Exception {
    RespConnection.Limits small = new RespConnection.Limits(64, 4, 2, 1, 1_000);
    assertEquals("abcd", readFrom(ascii("$4\r\nabcd\r\n"), small, false));
    for (String hostile : new String[] {"$5\r\nabcde\r\n", "*3\r\n:1\r\n:2\r\n:3\r\n",
        "*1\r\n*1\r\n:1\r\n", "+" + "x".repeat(100) + "\r\n"}) {
      IOException refused = assertThrows(IOException.class,
          () -> readFrom(ascii(hostile), small, false), hostile);
      assertTrue(refused.getMessage().contains("RESP"), refused.getMessage());
    }
    RespConnection.Limits generous = new RespConnection.Limits(64, 4 << 20, 8, 2, 16L << 20);
    String big = "y".repeat(2 << 20);
    assertEquals(big, readFrom(ascii("$" + big.length() + "\r\n" + big + "\r\n"), generous,
        false));
  }

  @Test
  void anInvalidationIsRead() throws Exception {
    assertEquals(List.of("message", "__redis__:invalidate", List.of("ns:c:k")),
        readFrom(ascii("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"
            + "*1\r\n$6\r\nns:c:k\r\n")));
  }

  @Test
  void claimedLengthsPastTheBoundsAreRefusedBeforeAllocating() {
    for (String hostile : new String[] {"*2147483647\r\n", "$2147483647\r\n",
        "*" + (RespConnection.MAX_ARRAY + 1) + "\r\n", "$" + (RespConnection.MAX_BULK + 1) + "\r\n",
        "$-5\r\n", "*99999999999999999999\r\n"}) {
      IOException refused = assertThrows(IOException.class, () -> readFrom(ascii(hostile)),
          hostile);
      assertTrue(refused.getMessage().contains("RESP"), refused.getMessage());
    }
  }

  @Test
  void aResp3InvalidationIsReadAsAPush() throws Exception {
    assertEquals(new RespConnection.Push(List.of("invalidate", List.of("ns:c:k"))),
        readFrom(ascii(">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nns:c:k\r\n")));
    // A flush: the keys are null.
    assertEquals(new RespConnection.Push(java.util.Arrays.asList("invalidate", null)),
        readFrom(ascii(">2\r\n$10\r\ninvalidate\r\n_\r\n")));
  }

  @Test
  void resp3TypesAreRead() throws Exception {
    assertEquals(List.of("server", "redis", "proto", 3L),
        readFrom(ascii("%2\r\n+server\r\n+redis\r\n+proto\r\n:3\r\n")));
    assertEquals(true, readFrom(ascii("#t\r\n")));
    assertEquals("1.5", readFrom(ascii(",1.5\r\n")));
    assertEquals("hello", readFrom(ascii("=9\r\ntxt:hello\r\n")));
    assertEquals(List.of("a"), readFrom(ascii("~1\r\n+a\r\n")));
    // Attributes come before the reply they describe, and are dropped.
    assertEquals("PONG", readFrom(ascii("|1\r\n+key\r\n+value\r\n+PONG\r\n")));
    RespConnection.ErrorReply error = assertThrows(RespConnection.ErrorReply.class,
        () -> readFrom(ascii("!10\r\nERR broken\r\n")));
    assertEquals("ERR broken", error.getMessage());
  }

  @Test
  void hostileResp3LengthsAndValuesAreRefused() {
    for (String hostile : new String[] {"%" + (RespConnection.MAX_ARRAY / 2 + 1) + "\r\n",
        ">2147483647\r\n", "~-2\r\n", "!2147483647\r\n", "=3\r\nabc\r\n", "#x\r\n",
        ">-1\r\n", ":12x\r\n", "%?\r\n"}) {
      assertThrows(IOException.class, () -> readFrom(ascii(hostile)), hostile);
    }
    IOException deep = assertThrows(IOException.class,
        () -> readFrom(ascii("%1\r\n".repeat(RespConnection.MAX_DEPTH + 1) + ":1\r\n")));
    assertTrue(deep.getMessage().contains("nested"), deep.getMessage());
    // Attributes before attributes before ...: bounded like nesting, not by the stack.
    IOException attributes = assertThrows(IOException.class,
        () -> readFrom(ascii("|0\r\n".repeat(100_000) + "+PONG\r\n")));
    assertTrue(attributes.getMessage().contains("nested"), attributes.getMessage());
  }

  @Test
  void aReplyLargerThanItsBoundInAllIsRefused() throws Exception {
    // Every string and the array are within their own bounds; together they are not.
    int strings = (int) (RespConnection.MAX_REPLY_BYTES / RespConnection.MAX_BULK) + 1;
    StringBuilder reply = new StringBuilder(">2\r\n$10\r\ninvalidate\r\n*" + strings + "\r\n");
    String big = "k".repeat(RespConnection.MAX_BULK);
    for (int i = 0; i < strings; i++) {
      reply.append('$').append(RespConnection.MAX_BULK).append("\r\n").append(big).append("\r\n");
    }
    IOException refused = assertThrows(IOException.class, () -> readFrom(ascii(reply.toString())));
    assertTrue(refused.getMessage().contains("in all"), refused.getMessage());
    // Many tiny elements count too: arrays of 2^20 integers in an array; the fourth passes
    // the bound (each element costs ELEMENT_COST).
    int arrays = (int) (RespConnection.MAX_REPLY_BYTES
        / ((long) RespConnection.ELEMENT_COST * RespConnection.MAX_ARRAY));
    String inner = "*" + RespConnection.MAX_ARRAY + "\r\n"
        + ":1\r\n".repeat(RespConnection.MAX_ARRAY);
    IOException elements = assertThrows(IOException.class, () -> readFrom(ascii(
        "*" + RespConnection.MAX_ARRAY + "\r\n" + inner.repeat(arrays))));
    assertTrue(elements.getMessage().contains("in all"), elements.getMessage());
    // A reply within the bound after one past it: the budget is per reply.
    assertEquals("PONG", readFrom(ascii("+PONG\r\n")));
  }

  @Test
  void deepNestingAndEndlessLinesAreRefused() {
    IOException deep = assertThrows(IOException.class,
        () -> readFrom(ascii("*1\r\n".repeat(RespConnection.MAX_DEPTH + 1) + ":1\r\n")));
    assertTrue(deep.getMessage().contains("nested"), deep.getMessage());
    byte[] endless = new byte[RespConnection.MAX_LINE + 10];
    java.util.Arrays.fill(endless, (byte) 'x');
    endless[0] = '+';
    IOException line = assertThrows(IOException.class, () -> readFrom(endless));
    assertTrue(line.getMessage().contains("line longer"), line.getMessage());
  }
}
