package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each pooled Kryo instance decodes through one reused input: nothing of one decode may reach
 * the next (a refused value, a longer string, an offset), and it may not keep a large value's
 * buffers alive.
 */
class ReusedInputTest {
  private final KryoValueCodec codec = new KryoValueCodec(ClassAllowList.of("reuse", List.of()),
      false, ReusedInputTest.class::getClassLoader);

  @Test
  void decodesAfterRefusalsLongerStringsAndOffsetsAreUnaffected() {
    String longText = "é".repeat(5_000) + "end";
    String shortText = "x".repeat(90) + "0123456789";
    byte[] longBytes = codec.encode(longText);
    byte[] shortBytes = codec.encode(shortText);
    Map<String, byte[]> hostile = HostilePayloads.all();
    for (int round = 0; round < 3; round++) {
      for (Map.Entry<String, byte[]> planted : hostile.entrySet()) {
        assertThrows(CodecException.class, () -> codec.decode(planted.getValue()),
            planted.getKey());
        assertEquals(shortText, codec.decode(shortBytes), "after " + planted.getKey());
      }
      assertEquals(longText, codec.decode(longBytes));
      assertEquals(shortText, codec.decode(shortBytes));
      byte[] prefixed = new byte[shortBytes.length + 3];
      System.arraycopy(shortBytes, 0, prefixed, 3, shortBytes.length);
      assertEquals(shortText, codec.decode(prefixed, 3));
      byte[] truncated = java.util.Arrays.copyOf(longBytes, longBytes.length / 2);
      assertThrows(CodecException.class, () -> codec.decode(truncated));
      assertEquals(longText, codec.decode(longBytes));
    }
  }

  /** A Kryo instance as the Redis codec pools them (with its input, output and budget). */
  static KryoSetup.CacheKryo redisKryo() {
    return (KryoSetup.CacheKryo) KryoSetup.newKryo(
        new com.esotericsoftware.kryo.util.DefaultClassResolver(),
        ClassAllowList.of("reuse", List.of()));
  }

  @Test
  void aLargeStringsBufferIsNotKeptAndTheValuesBytesAreDropped() {
    KryoSetup.CacheKryo kryo = redisKryo();
    BoundedInput input = kryo.input();
    byte[] bytes = codec.encode("y".repeat(100_000));
    kryo.budget().start(bytes.length);
    input.reading(bytes, 0, bytes.length);
    assertEquals("y".repeat(100_000), kryo.readClassAndObject(input));
    assertTrue(input.keptChars() >= 100_000, "the string was read through the buffer");
    input.done();
    kryo.budget().finish();
    assertTrue(input.keptChars() <= BoundedInput.KEPT_CHARS,
        "kept a buffer of " + input.keptChars() + " characters");
    assertEquals(0, input.getBuffer().length, "still holds the value's bytes");
  }
}
