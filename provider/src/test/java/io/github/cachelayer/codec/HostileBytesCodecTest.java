package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Bytes no decoder should trust, through the Kryo codec, as another process could plant them in
 * Redis: length fields claiming 2<sup>28</sup> to 2<sup>31</sup> elements in a few bytes,
 * nesting 100,000 deep, nested sets sharing their members (exponential rehashing), colliding
 * hash codes, truncated and random bytes. Each must be refused with a {@link CodecException} in
 * well under 100 ms, never an {@code Error}; this class runs in a JVM of 256 MB that exits on
 * the first OutOfMemoryError (the provider's pom), so a single allocation of what a length
 * claims fails the build.
 */
class HostileBytesCodecTest {
  private static final long LIMIT_MILLIS = 100;

  private final KryoValueCodec codec = new KryoValueCodec(
      ClassAllowList.of("hostile", List.of()), false, HostileBytesCodecTest.class::getClassLoader);

  private static byte[] craft(Consumer<Output> writer) {
    return HostilePayloads.craft(writer);
  }

  private static void classAndNewObject(Output output, Class<?> type) {
    HostilePayloads.classAndNewObject(output, type);
  }

  private void refused(String what, byte[] bytes) {
    long start = System.nanoTime();
    CodecException refusal = assertThrows(CodecException.class, () -> codec.decode(bytes),
        what + " was decoded");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < LIMIT_MILLIS, what + " took " + millis + " ms to refuse: "
        + refusal.getMessage());
  }

  @Test
  void lengthBombsAreRefusedBeforeAnythingIsAllocated() {
    for (int claim : new int[] {1 << 28, 1 << 30, Integer.MAX_VALUE - 1}) {
      refused("a string of " + claim + " characters", craft(out -> {
        classAndNewObject(out, String.class);
        out.writeVarIntFlag(true, claim, true);
        out.writeBytes(new byte[] {'a', 'b'});
      }));
      refused("a byte array of " + claim, craft(out -> {
        classAndNewObject(out, byte[].class);
        out.writeVarInt(claim, true);
        out.writeBytes(new byte[4]);
      }));
      refused("a long array of " + claim, craft(out -> {
        classAndNewObject(out, long[].class);
        out.writeVarInt(claim, true);
      }));
      refused("an Object array of " + claim, craft(out -> {
        classAndNewObject(out, Object[].class);
        out.writeVarInt(claim, true);
      }));
      refused("a String array of " + claim, craft(out -> {
        classAndNewObject(out, String[].class);
        out.writeVarInt(claim, true);
      }));
      refused("an ArrayList of " + claim + " elements", craft(out -> {
        classAndNewObject(out, ArrayList.class);
        out.writeVarIntFlag(false, claim, true);
        out.writeByte(0);
      }));
      refused("an ArrayList of " + claim + " nulls (no bytes per element)", craft(out -> {
        classAndNewObject(out, ArrayList.class);
        out.writeVarIntFlag(true, claim, true);
        out.writeVarInt(0, true); // the elements' class: null, so every element is null
      }));
      refused("a HashSet of " + claim, craft(out -> {
        classAndNewObject(out, HashSet.class);
        out.writeVarIntFlag(false, claim, true);
      }));
      refused("a HashMap of " + claim, craft(out -> {
        classAndNewObject(out, HashMap.class);
        out.writeVarInt(claim, true);
      }));
      refused("a BitSet of " + claim + " words", craft(out -> {
        classAndNewObject(out, BitSet.class);
        out.writeVarInt(claim, true);
      }));
      refused("a BigInteger of " + claim + " bytes", craft(out -> {
        classAndNewObject(out, BigInteger.class);
        out.writeVarInt(claim, true);
      }));
      refused("a class name of " + claim + " characters", craft(out -> {
        out.writeVarInt(1, true); // a class by name (DefaultClassResolver's NAME + 2)
        out.writeVarInt(0, true); // its name id
        out.writeVarIntFlag(true, claim, true);
        out.writeBytes(new byte[] {'x'});
      }));
    }
  }

  @Test
  void javaSerializedContentClaimingGigabytesIsRefused() {
    // An empty EnumMap travels as Java serialization inside Kryo: its length comes first.
    refused("Java-serialized content of 2^31 bytes", craft(out -> {
      classAndNewObject(out, java.util.EnumMap.class);
      out.writeVarInt(0, true); // empty: the Java-serialized form follows
      out.writeVarInt(Integer.MAX_VALUE, true);
    }));
  }

  @Test
  void nestingOneHundredThousandDeepIsRefused() {
    refused("lists nested 100,000 deep", craft(out -> {
      for (int i = 0; i < 100_000; i++) {
        classAndNewObject(out, ArrayList.class);
        out.writeVarIntFlag(false, 2, true); // one element, of its own class
      }
      out.writeVarInt(0, true);
    }));
  }

  @Test
  void nestedSetsSharingTheirMembersAreRefused() {
    // The classic: each level holds two sets that share the next level's two sets, so
    // rebuilding the top set hashes 2^levels sets.
    byte[] bytes = codec.encode(HostilePayloads.nestedSharedSetsObject());
    assertTrue(bytes.length < 2_000, "a small value: " + bytes.length + " bytes");
    refused("nested sets sharing their members (" + bytes.length + " bytes)", bytes);
  }

  @Test
  void collidingHashCodesAreRefused() {
    // Each insertion compares with every other element of the same hash code.
    Set<List<Integer>> colliding = HostilePayloads.collidingLists();
    Map<List<Integer>, Integer> collidingKeys = new LinkedHashMap<>();
    colliding.forEach(list -> collidingKeys.put(list, list.get(0)));
    refused("a set of 5,000 colliding elements", codec.encode(colliding));
    refused("a map of 5,000 colliding keys", codec.encode(collidingKeys));
    refused("Set.of of 5,000 colliding elements", codec.encode(Set.copyOf(colliding)));
  }

  private final JdkValueCodec jdk = new JdkValueCodec(ClassAllowList.of("hostile", List.of()),
      HostileBytesCodecTest.class::getClassLoader);

  private static byte[] javaSerialized(Object value) {
    try (var bytes = new java.io.ByteArrayOutputStream();
        var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(value);
      out.flush();
      return bytes.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Refused, quickly, for the reason named by {@code because}. */
  private void refusedByJdk(String what, byte[] bytes, String because) {
    long start = System.nanoTime();
    CodecException refusal = assertThrows(CodecException.class, () -> jdk.decode(bytes),
        what + " was decoded");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < LIMIT_MILLIS, what + " took " + millis + " ms to refuse: "
        + refusal.getMessage());
    assertTrue(String.valueOf(refusal.getMessage()).contains(because)
        || String.valueOf(refusal.getCause()).contains(because), what + ": " + refusal);
  }

  /** The jdk codec: an array claiming 2^31, 1,000 levels, nested sets sharing their members. */
  @Test
  void javaSerializationIsBoundedToo() {
    byte[] ints = javaSerialized(new int[] {7, 7, 7});
    // The array's length is the int just before its 12 bytes of elements.
    int at = ints.length - 16;
    ints[at] = 0x7f;
    ints[at + 1] = ints[at + 2] = ints[at + 3] = (byte) 0xff;
    refusedByJdk("an int array of 2^31", ints, "an array of 2147483647 elements");

    Object[] deep = new Object[1];
    Object[] level = deep;
    for (int i = 0; i < 1_000; i++) {
      Object[] next = new Object[1];
      level[0] = next;
      level = next;
    }
    refusedByJdk("arrays nested 1,000 deep", javaSerialized(deep), "deeper than 256");

    refusedByJdk("nested sets sharing their members",
        javaSerialized(HostilePayloads.nestedSharedSetsObject()), "expands to more");
    assertEquals(List.of(1, 2), jdk.decode(jdk.encode(new ArrayList<>(List.of(1, 2)))));
  }

  /** The json codec: nesting 100,000 deep is refused, not a StackOverflowError. */
  @Test
  void jsonNestingIsBounded() {
    JsonValueCodec json = new JsonValueCodec(Object.class);
    byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000))
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    long start = System.nanoTime();
    assertThrows(CodecException.class, () -> json.decode(deep));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < LIMIT_MILLIS);
  }

  @Test
  void truncatedAndRandomBytesAreRefusedNotThrownAsErrors() {
    Map<String, Object> value = new HashMap<>();
    value.put("list", List.of(1, 2, 3));
    value.put("text", "é".repeat(40));
    byte[] bytes = codec.encode(value);
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(bytes, length);
      try {
        codec.decode(truncated);
      } catch (CodecException expected) {
        // refused as it should be
      }
    }
    Random random = new Random(24);
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[1 + random.nextInt(64)];
      random.nextBytes(garbage);
      try {
        codec.decode(garbage);
      } catch (CodecException expected) {
        // refused as it should be
      }
    }
  }

  @Test
  void ordinaryValuesStillRoundTrip() {
    Map<String, Object> value = new HashMap<>();
    value.put("set", new HashSet<>(List.of("a", "b", "c")));
    value.put("nested", List.of(List.of(1, 2), Map.of("k", Set.of(1, 2, 3))));
    value.put("bytes", new byte[10_000]);
    value.put("text", "é".repeat(10_000));
    List<Object> shared = new ArrayList<>();
    Object common = List.of("shared");
    for (int i = 0; i < 1_000; i++) {
      shared.add(common);
    }
    value.put("shared", shared);
    Object decoded = codec.decode(codec.encode(value));
    assertEquals(value.keySet(), ((Map<?, ?>) decoded).keySet());
    assertEquals(value.get("nested"), ((Map<?, ?>) decoded).get("nested"));
    assertEquals(value.get("shared"), ((Map<?, ?>) decoded).get("shared"));
  }
}
