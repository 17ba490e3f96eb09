package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A store asks for its entry header's room in front of the payload: the bytes after the room are
 * the payload the codec writes without it, and the size limit counts the payload alone.
 */
class HeadroomTest {
  private static final int ROOM = 14;
  private final ClassAllowList allowList = ClassAllowList.of("room", List.of());
  private final Object value = Map.of("name", "x".repeat(300), "count", 7);

  @Test
  void thePayloadFollowsTheRoomAsWrittenWithoutIt() {
    for (ValueCodec codec : List.of(
        new KryoValueCodec(allowList, false, HeadroomTest.class::getClassLoader),
        new JdkValueCodec(allowList, HeadroomTest.class::getClassLoader))) {
      byte[] plain = codec.encode(value, "k");
      codec.encode("a longer value first, " + "y".repeat(2_000), "k", ROOM);
      byte[] roomy = codec.encode(value, "k", ROOM);
      assertEquals(ROOM + plain.length, roomy.length, codec.getClass().getSimpleName());
      assertArrayEquals(plain, Arrays.copyOfRange(roomy, ROOM, roomy.length));
      assertEquals(value, codec.decode(roomy, ROOM));
    }
  }

  @Test
  void theSizeLimitCountsThePayloadNotTheRoom() {
    ValueCodec kryo = new KryoValueCodec(allowList, false, HeadroomTest.class::getClassLoader);
    int payload = kryo.encode(value).length;
    assertEquals(ROOM + payload,
        new SizeLimitedCodec(kryo, "room", payload).encode(value, "k", ROOM).length);
    CodecException refused = assertThrows(CodecException.class,
        () -> new SizeLimitedCodec(kryo, "room", payload - 1).encode(value, "k", ROOM));
    assertTrue(refused.getMessage().contains("takes " + payload + " bytes"),
        refused.getMessage());
  }
}
