package io.github.cachelayer.redis.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.testing.redis.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The helpers' scripts against records no script should trust (planted by anyone who can write
 * to Redis): negative, overlong and past-the-end lengths, missing colons and fields, non-numeric
 * times, numbers too many or too large. Each call must answer at once (within the command's
 * 2-second socket timeout, far above what a bounded script takes) with "not a record" ({@code N},
 * the client then decides in Java, where the record is undecodable and counts as none), and
 * Redis must answer a PING from another connection right after: no input makes a script loop
 * or allocate without bound inside Redis, where every client would wait (BUSY).
 */
class HostileRecordsScriptTest {
  private static final String KEY = "ns:session:planted";
  private static final String ETERNAL_HEADER = "19999999999999";
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  private static final List<String> SESSIONS = List.of(
      "\0S-3:",                       // a negative length: the loop would run backwards
      "\0S2000000000:x",              // a length far past the end
      "\0S99999999999999999999:x",    // more digits than a length may have
      "\0Sabc",                       // no length at all
      "\0S3:abc",                     // one field where five are needed
      "\0S1:a1:b3:abc3:def1:x",       // a non-numeric time
      "\0S1:a1:b1:1",                 // three fields
      "\0S1:a1:b1:11:11:1" + "5:xx",  // a field that runs past the end
      "\0S:" + "1".repeat(100_000),   // an empty length before a long run of digits
      "\0S1:a1:b1:11:11:11:n".repeat(1),
      "\0S02:id4:user4:10004:10004:9999", // a length with a leading zero: not as written
      "\0S2:id4:user4:10004:10004:99990:"); // an idle timeout of no digits

  private static final List<String> LIMITER_STATES = List.of(
      "\0L" + "1,".repeat(5_000) + "1",   // more numbers than any state holds
      "\0L1,,2",                           // an empty number
      "\0L12345678901234567",              // more digits than a double holds exactly
      "\0Lx,1",                            // not a number
      "\0L-",                              // a sign alone
      "\0L" + "9".repeat(200_000));        // one enormous number

  private static byte[] entry(String payload) {
    return (ETERNAL_HEADER + payload).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Object eval(Resp resp, String source, String key, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("EVAL", source, "1", key));
    command.addAll(List.of(args));
    return resp.call(command.toArray(String[]::new));
  }

  private static void plant(Resp resp, String payload) throws IOException {
    resp.callBytes("SET", KEY.getBytes(StandardCharsets.UTF_8), entry(payload));
  }

  private static void assertRedisAnswers() throws IOException {
    try (Resp other = redis.server().connect()) {
      other.setTimeout(1_000);
      assertEquals("PONG", other.call("PING"), "Redis is busy");
    }
  }

  @Test
  void sessionRecordsThatLieAreNotSessions() throws IOException {
    for (String planted : SESSIONS) {
      try (Resp resp = redis.server().connect()) {
        resp.setTimeout(2_000);
        plant(resp, planted);
        for (String operation : List.of("T", "M")) {
          List<String> args = new ArrayList<>(List.of(operation, "1000", "1000", "60000",
              "30000"));
          if (operation.equals("M")) {
            args.addAll(List.of("name", "1", "value"));
          }
          long start = System.nanoTime();
          Object reply;
          try {
            reply = eval(resp, ProcessorScripts.SESSION.source(), KEY, args.toArray(String[]::new));
          } catch (IOException e) {
            redis.call("SCRIPT", "KILL");
            fail("session.lua did not answer for " + visible(planted) + ": " + e.getMessage());
            return;
          }
          long millis = (System.nanoTime() - start) / 1_000_000;
          assertEquals("N", ((List<?>) reply).get(0), "not a session: " + visible(planted));
          assertTrue(millis < 500, visible(planted) + " took " + millis + " ms");
          assertRedisAnswers();
        }
      }
    }
  }

  @Test
  void limiterStatesThatLieAreNotStates() throws IOException {
    for (String planted : LIMITER_STATES) {
      for (String algorithm : List.of("F", "S", "T")) {
        try (Resp resp = redis.server().connect()) {
          resp.setTimeout(2_000);
          plant(resp, planted);
          long start = System.nanoTime();
          Object reply;
          try {
            reply = eval(resp, ProcessorScripts.RATE_LIMIT.source(), KEY, algorithm, "100", "60000",
                algorithm.equals("S") ? "10" : "1", "1", "1000", "1000", "60000", "60000",
                "30000");
          } catch (IOException e) {
            redis.call("SCRIPT", "KILL");
            fail("ratelimit.lua did not answer for " + visible(planted) + ": " + e.getMessage());
            return;
          }
          long millis = (System.nanoTime() - start) / 1_000_000;
          assertEquals("N", ((List<?>) reply).get(0), "not a limiter state: " + visible(planted));
          assertTrue(millis < 500, visible(planted) + " took " + millis + " ms");
          assertRedisAnswers();
        }
      }
    }
  }

  @Test
  void aWellFormedSessionIsStillOne() throws IOException {
    try (Resp resp = redis.server().connect()) {
      plant(resp, "\0S2:id4:user4:10004:10004:99992:ab1:x");
      Object reply = eval(resp, ProcessorScripts.SESSION.source(), KEY, "T", "2000", "2000", "60000",
          "30000");
      assertEquals(List.of("L", "W"), ((List<?>) reply).subList(0, 2));
    }
  }

  /**
   * The script keeps every field it does not change as it lies: the stored bytes are what the
   * session's writers write (a touch moves the last access, a merge replaces, adds and drops
   * attributes in the processors' order), down to the byte.
   */
  @Test
  void aTouchAndAMergeWriteTheRecordTheWritersWrite() throws IOException {
    try (Resp resp = redis.server().connect()) {
      plant(resp, "\0S2:id4:user4:10004:10004:99992:ab1:x2:cd0:");
      eval(resp, ProcessorScripts.SESSION.source(), KEY, "T", "2000", "2000", "60000", "30000");
      assertStored(resp, "0000000062000", "\0S2:id4:user4:10004:20004:99992:ab1:x2:cd0:");
      eval(resp, ProcessorScripts.SESSION.source(), KEY, "M", "1500", "3000", "60000", "30000",
          "ab", "1", "yz", "ef", "1", "", "cd", "0", "");
      assertStored(resp, "0000000063000", "\0S2:id4:user4:10004:20004:99992:ab2:yz2:ef0:");
      // An idle timeout of its own (an even count of fields) is kept as it lies too.
      plant(resp, "\0S2:id4:user4:10004:10004:99993:5002:ab1:x");
      eval(resp, ProcessorScripts.SESSION.source(), KEY, "M", "1200", "1200", "60000", "30000",
          "n", "1", "7");
      assertStored(resp, "0000000061200", "\0S2:id4:user4:10004:12004:99993:5002:ab1:x1:n1:7");
    }
  }

  private static void assertStored(Resp resp, String expiryDigits, String payload)
      throws IOException {
    byte[] stored = resp.callBytes("GET", KEY.getBytes(StandardCharsets.UTF_8));
    assertEquals(("1" + expiryDigits + payload).replace("\0", "\\0"),
        new String(stored, StandardCharsets.ISO_8859_1).replace("\0", "\\0"));
  }

  private static String visible(String record) {
    String shown = record.length() > 40 ? record.substring(0, 40) + "…" : record;
    return shown.replace("\0", "\\0");
  }
}
