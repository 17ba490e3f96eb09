package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each pooled Kryo instance encodes into one reused output: an encode returns exactly the bytes
 * a fresh codec writes for the value, whatever the encodes before it left in the buffer (a
 * longer value, one refused halfway), and a large value's buffer is not kept.
 */
class ReusedOutputTest {
  private static KryoValueCodec codec() {
    return new KryoValueCodec(ClassAllowList.of("reuse", List.of()), false,
        ReusedOutputTest.class::getClassLoader);
  }

  @Test
  void eachEncodeWritesWhatAFreshCodecWrites() {
    KryoValueCodec reused = codec();
    String longText = "é".repeat(5_000) + "end";
    String shortText = "short";
    List<Object> halfRefused = new ArrayList<>(List.of("written first"));
    halfRefused.add((Supplier<String>) () -> "a lambda: refused after the list's start");
    for (int round = 0; round < 3; round++) {
      assertArrayEquals(codec().encode(longText), reused.encode(longText));
      assertArrayEquals(codec().encode(shortText), reused.encode(shortText));
      assertThrows(CodecException.class, () -> reused.encode(halfRefused));
      assertArrayEquals(codec().encode(shortText), reused.encode(shortText));
      assertEquals(shortText, reused.decode(reused.encode(shortText)));
    }
  }

  @Test
  void aLargeValuesBufferIsNotKept() {
    KryoSetup.CacheKryo kryo = ReusedInputTest.redisKryo();
    Output output = kryo.output();
    output.writeString("z".repeat(200_000));
    assertTrue(output.getBuffer().length >= 200_000, "the value went through the buffer");
    Output next = kryo.output();
    assertEquals(0, next.position());
    assertTrue(next.getBuffer().length <= KryoSetup.CacheKryo.KEPT_OUTPUT,
        "kept a buffer of " + next.getBuffer().length + " bytes");
  }
}
