package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {
  /** Stands for a deserialization gadget: its readObject must never run. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean ran;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      ran = true;
      in.defaultReadObject();
    }
  }

  private static byte[] javaSerialize(Object object) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  private static byte[] varInt(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
    return out.toByteArray();
  }

  @Test
  void anAllowedClassCannotSmuggleAGadgetThroughJavaSerialization() throws Exception {
    ClassAllowList allowList = ClassAllowList.of("c", List.of());
    KryoValueCodec codec = new KryoValueCodec(allowList, false, getClass()::getClassLoader);
    Object comparator = java.util.Collections.reverseOrder();
    byte[] honest = codec.encode(comparator);
    assertEquals(comparator, codec.decode(honest), "the JDK's comparator goes through Java "
        + "serialization (it has readResolve and no serializer of Kryo's)");

    // The honest bytes end with a length and Java's serialization of the comparator; keep the
    // prefix that names it and put a gadget where the comparator was.
    byte[] dateJava = javaSerialize(comparator);
    int prefix = honest.length - dateJava.length - varInt(dateJava.length).length;
    assertArrayEquals(dateJava, Arrays.copyOfRange(honest, honest.length - dateJava.length,
        honest.length), "the layout this test relies on");
    byte[] gadget = javaSerialize(new Gadget());
    ByteArrayOutputStream attack = new ByteArrayOutputStream();
    attack.write(honest, 0, prefix);
    attack.write(varInt(gadget.length));
    attack.write(gadget);

    KryoValueCodec reader = new KryoValueCodec(ClassAllowList.of("c", List.of()), false,
        getClass()::getClassLoader);
    Gadget.ran = false;
    assertThrows(CodecException.class, () -> reader.decode(attack.toByteArray()));
    assertFalse(Gadget.ran, "the gadget's readObject must not run");
  }

  /**
   * The well-known look-up gadget: a HashMap keyed by URLs makes its reader resolve each URL's
   * host (URL.hashCode), so bytes from anyone could send this JVM's DNS queries anywhere. No
   * cache allows URL by default; the map is refused when the URL's class is met, before any URL
   * or map is made.
   */
  @Test
  void aMapKeyedByUrlsIsRefusedByDefault() throws Exception {
    java.util.HashMap<Object, String> payload = new java.util.HashMap<>();
    payload.put(new java.net.URL("http://lookup.invalid/"), "x");
    ClassAllowList permissive = ClassAllowList.of("c", List.of("java.net.URL"));
    byte[] kryoBytes = new KryoValueCodec(permissive, false, getClass()::getClassLoader)
        .encode(payload);
    byte[] javaBytes = javaSerialize(payload);

    KryoValueCodec kryo = new KryoValueCodec(ClassAllowList.of("c", List.of()), false,
        getClass()::getClassLoader);
    JdkValueCodec jdk = new JdkValueCodec(ClassAllowList.of("c", List.of()),
        getClass()::getClassLoader);
    for (java.util.function.Supplier<Object> decode : List.<java.util.function.Supplier<Object>>of(
        () -> kryo.decode(kryoBytes), () -> jdk.decode(javaBytes))) {
      CodecException refused = assertThrows(CodecException.class, decode::get);
      assertEquals("Class java.net.URL is not allowed in cache 'c'; add it (or its package, as "
          + "\"java.net.*\") to CACHELAYER_CODEC_ALLOW or cachelayer.codec.allow (every cache), "
          + "or to cachelayer.caches.c.codec.allow", refused.getMessage());
    }
  }

  @Test
  void aCacheMayReadWhatItWroteButNotWhatItNeverWrote() {
    ClassAllowList writerList = ClassAllowList.of("c", List.of());
    KryoValueCodec writer = new KryoValueCodec(writerList, false, getClass()::getClassLoader);
    byte[] bytes = writer.encode(new Gadget());
    Gadget.ran = false;
    writer.decode(bytes);
    KryoValueCodec stranger = new KryoValueCodec(ClassAllowList.of("c", List.of()), false,
        getClass()::getClassLoader);
    assertThrows(CodecException.class, () -> stranger.decode(bytes));
  }
}
