package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Crafted Kryo payloads, as someone who can write to Redis could plant them: written with a Kryo
 * set up as the codec's, so that class ids and reference markers are the codec's own.
 */
public final class HostilePayloads {
  private static final Kryo KRYO = KryoSetup.newKryo(
      new com.esotericsoftware.kryo.util.DefaultClassResolver(), null);

  private HostilePayloads() {}

  static byte[] craft(Consumer<Output> writer) {
    Output output = new Output(64, -1);
    writer.accept(output);
    return output.toBytes();
  }

  static void classAndNewObject(Output output, Class<?> type) {
    KRYO.writeClass(output, type);
    output.writeVarInt(1, true); // Kryo's "not null, first time seen" reference marker
  }

  /** Each payload by what it is: none may be decoded, none may cost more than its size. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> payloads = new LinkedHashMap<>();
    int claim = Integer.MAX_VALUE - 1;
    payloads.put("a string of 2^31 characters", craft(out -> {
      classAndNewObject(out, String.class);
      out.writeVarIntFlag(true, claim, true);
      out.writeBytes(new byte[] {'a', 'b'});
    }));
    payloads.put("a byte array of 2^31", craft(out -> {
      classAndNewObject(out, byte[].class);
      out.writeVarInt(claim, true);
    }));
    payloads.put("an ArrayList of 2^31 nulls", craft(out -> {
      classAndNewObject(out, ArrayList.class);
      out.writeVarIntFlag(true, claim, true);
      out.writeVarInt(0, true);
    }));
    payloads.put("a HashSet of 2^30", craft(out -> {
      classAndNewObject(out, HashSet.class);
      out.writeVarIntFlag(false, 1 << 30, true);
    }));
    payloads.put("a HashMap of 2^30", craft(out -> {
      classAndNewObject(out, HashMap.class);
      out.writeVarInt(1 << 30, true);
    }));
    payloads.put("a BigInteger of 2^31 bytes", craft(out -> {
      classAndNewObject(out, BigInteger.class);
      out.writeVarInt(claim, true);
    }));
    payloads.put("lists nested 100,000 deep", craft(out -> {
      for (int i = 0; i < 100_000; i++) {
        classAndNewObject(out, ArrayList.class);
        out.writeVarIntFlag(false, 2, true);
      }
      out.writeVarInt(0, true);
    }));
    payloads.put("nested sets sharing their members", nestedSharedSets());
    payloads.put("a set of colliding elements", collidingSet());
    payloads.put("random bytes", new byte[] {17, -3, 99, 0, 12, -128, 7, 7, 7});
    return payloads;
  }

  /** Each level holds two sets sharing the next level's two: 2^60 hashings to rebuild. */
  static byte[] nestedSharedSets() {
    return encode(nestedSharedSetsObject());
  }

  /**
   * The object of {@link #nestedSharedSets}, built so that building it costs nothing: each set
   * is hashed into its parent while still empty, and filled afterwards.
   */
  static Set<Object> nestedSharedSetsObject() {
    Set<Object> root = new HashSet<>();
    Set<Object> left = root;
    Set<Object> right = new HashSet<>();
    for (int level = 0; level < 60; level++) {
      Set<Object> first = new HashSet<>();
      Set<Object> second = new HashSet<>();
      first.add("a");
      left.add(first);
      left.add(second);
      right.add(first);
      right.add(second);
      left = first;
      right = second;
    }
    return root;
  }

  /** [a, -31a] all hash to 961. */
  static byte[] collidingSet() {
    return encode(collidingLists());
  }

  /** 5,000 lists [a, -31a], which all hash to 961. */
  static Set<List<Integer>> collidingLists() {
    Set<List<Integer>> colliding = new HashSet<>();
    for (int a = 0; a < 5_000; a++) {
      colliding.add(List.of(a, -31 * a));
    }
    return colliding;
  }

  private static byte[] encode(Object value) {
    Output output = new Output(256, -1);
    KRYO.writeClassAndObject(output, value);
    return output.toBytes();
  }
}
