package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.event.PendingEvent;
import io.github.cachelayer.internal.redisson.Redisson;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.config.Config;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.testing.redis.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code entry.lua} called with crafted arguments: for a stored value and the twelve arguments,
 * the reply, the stored bytes, Redis's TTL and the published message. The client's side of the
 * protocol is {@link EntryScript}; the event message must be what {@link RedisEvents} encodes.
 */
class ScriptProtocolTest {
  private static final String KEY = "ns:c:k";
  private static final String ETERNAL = "9999999999999";
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  /** The twelve arguments, in the order of the script's header. */
  private static List<String> args(String condition, String effect, String payload, long now,
      String creation, String update, String access, String expected, boolean previous,
      String channel, String origin) {
    return List.of(condition, effect, payload, Long.toString(now), creation, update, access,
        "30000", expected, previous ? "1" : "0", channel, origin);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> eval(List<String> keys, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("EVAL", LuaScript.ENTRY.source(),
        Integer.toString(keys.size())));
    command.addAll(keys);
    command.addAll(arguments);
    return (List<Object>) redis.call(command.toArray(String[]::new));
  }

  private static List<Object> eval(List<String> arguments) {
    return eval(List.of(KEY), arguments);
  }

  @Test
  void aPutOnNothingCreatesWithTheCreationExpiryAndTheRetentionInTheTtl() {
    List<Object> reply = eval(args("*", "W", "v", 1_000, "5000", "-2", "-2", "", false, "", ""));
    assertEquals(List.of("A", "W", "0", ""), reply);
    assertEquals("1" + "0000000006000" + "v", redis.call("GET", KEY));
    long ttl = (Long) redis.call("PTTL", KEY);
    assertTrue(ttl > 34_000 && ttl <= 35_000, "expiry - now + retention: " + ttl);
  }

  @Test
  void anEternalPutHasNoTtl() {
    eval(args("*", "W", "v", 1_000, "-1", "-1", "-2", "", false, "", ""));
    assertEquals("1" + ETERNAL + "v", redis.call("GET", KEY));
    assertEquals(-1L, redis.call("PTTL", KEY));
  }

  @Test
  void putIfAbsentKeepsALiveEntryAndReturnsItWhenAsked() {
    redis.call("SET", KEY, "1" + ETERNAL + "old");
    List<Object> reply = eval(args("A", "W", "new", 1_000, "-1", "-1", "-2", "", true, "", ""));
    assertEquals(List.of("L", "K", ETERNAL, "old"), reply);
    assertEquals("1" + ETERNAL + "old", redis.call("GET", KEY));
    EntryScript.Reply parsed = EntryScript.reply(bytes(reply), 0);
    assertEquals(EntryScript.Found.LIVE, parsed.found());
    assertEquals(false, parsed.changed());
    assertEquals(io.github.cachelayer.store.StoredEntry.ETERNAL, parsed.previousExpiry());
  }

  @Test
  void anExpiredEntryIsDeletedAndReportedThenTheConditionSeesNothing() {
    redis.call("SET", KEY, "1" + "0000000000500" + "old");
    List<Object> reply = eval(args("P", "T", "", 1_000, "-1", "-2", "60000", "", false, "", ""));
    assertEquals(List.of("X", "R", "0000000000500", ""), reply);
    assertEquals(0L, redis.call("EXISTS", KEY));
  }

  @Test
  void replaceIfEqualTouchesWithTheAccessDurationWhenTheValueDiffers() {
    redis.call("SET", KEY, "1" + ETERNAL + "old");
    List<Object> reply = eval(args("E", "W", "new", 1_000, "-1", "-1", "2000", "other", false,
        "", ""));
    assertEquals(List.of("L", "T", ETERNAL, "old"), reply, "E returns the payload it compared");
    assertEquals("1" + "0000000003000" + "old", redis.call("GET", KEY));
    assertTrue((Long) redis.call("PTTL", KEY) > 31_000);
  }

  @Test
  void removeReturnsThePreviousPayloadWhenAsked() {
    redis.call("SET", KEY, "1" + ETERNAL + "old");
    assertEquals(List.of("L", "R", ETERNAL, "old"),
        eval(args("P", "R", "", 1_000, "-1", "-2", "-2", "", true, "", "")));
    assertEquals(0L, redis.call("EXISTS", KEY));
  }

  @Test
  void severalKeysInOneCallAnswerOneAfterAnother() {
    List<String> arguments = new ArrayList<>(
        args("*", "W", "a", 1_000, "-1", "-1", "-2", "", false, "", ""));
    arguments.addAll(args("A", "W", "b", 1_000, "-1", "-1", "-2", "", false, "", ""));
    redis.call("SET", "ns:c:k2", "1" + ETERNAL + "taken");
    List<Object> reply = eval(List.of(KEY, "ns:c:k2"), arguments);
    assertEquals(List.of("A", "W", "0", "", "L", "K", ETERNAL, ""), reply);
    assertEquals(EntryScript.REPLY * 2, reply.size());
  }

  /** The golden test: the script's event message is byte for byte what RedisEvents writes. */
  @Test
  void scriptAndJavaEncodeEventsAlike() throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.url());
    RedissonClient client = Redisson.create(config);
    try (Resp subscriber = redis.server().connect()) {
      RedisEvents<String, String> java = new RedisEvents<>(client, "ns", "c", ASCII,
          new KeyNames("ns", "c", ASCII), 30_000);
      String origin = java.origin();
      subscriber.call("SUBSCRIBE", "channel");

      eval(args("*", "W", "v", 1_000, "-1", "-1", "-2", "", false, "channel", origin));
      assertEquals(message(java, EventType.CREATED, "v", null), published(subscriber));
      eval(args("*", "W", "w", 1_000, "-1", "-1", "-2", "", false, "channel", origin));
      assertEquals(message(java, EventType.UPDATED, "w", "v"), published(subscriber));
      eval(args("P", "R", "", 1_000, "-1", "-2", "-2", "", false, "channel", origin));
      assertEquals(message(java, EventType.REMOVED, "w", null), published(subscriber));
      redis.call("SET", KEY, "1" + "0000000000500" + "gone");
      eval(args("P", "T", "", 1_000, "-1", "-2", "-2", "", false, "channel", origin));
      assertEquals(message(java, EventType.EXPIRED, "gone", null), published(subscriber));
      java.close();
    } finally {
      client.shutdown();
    }
  }

  private static String message(RedisEvents<String, String> java, EventType type, String value,
      String old) {
    return new String(java.encode(List.of(new PendingEvent<>(type, "k", value, old))),
        StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static String published(Resp subscriber) throws Exception {
    List<Object> push = (List<Object>) subscriber.read();
    while (!"message".equals(push.get(0))) {
      push = (List<Object>) subscriber.read();
    }
    return (String) push.get(2);
  }

  private static List<Object> bytes(List<Object> reply) {
    List<Object> raw = new ArrayList<>();
    reply.forEach(element -> raw.add(((String) element).getBytes(StandardCharsets.US_ASCII)));
    return raw;
  }

  /** Values as their ASCII bytes, so the script's arguments and Java's bytes are the same. */
  private static final ValueCodec ASCII = new ValueCodec() {
    @Override
    public byte[] encode(Object value) {
      return value.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Object decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
  };
}
