package io.github.cachelayer.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Java serialization, for values that must stay readable by Java-serialization tooling. Reading
 * goes through the allow-list's {@link java.io.ObjectInputFilter}; writing records the classes
 * written, which this cache may then read back.
 */
public final class JdkValueCodec implements ValueCodec {
  private final ClassAllowList allowList;
  private final Supplier<ClassLoader> classLoader;

  public JdkValueCodec(ClassAllowList allowList, Supplier<ClassLoader> classLoader) {
    this.allowList = Objects.requireNonNull(allowList, "allowList");
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
  }

  @Override
  public byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
      @Override
      protected void annotateClass(Class<?> type) {
        allowList.wrote(type);
      }
    }) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new CodecException("Cannot serialize a " + value.getClass().getName()
          + " (the jdk codec needs java.io.Serializable)", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes) {
    return decode(bytes, 0);
  }

  /** Through the allow-list and the bounds of {@link BoundedObjectInput}. */
  @Override
  public Object decode(byte[] bytes, int offset) {
    int length = bytes.length - offset;
    try (ObjectInputStream in = new BoundedObjectInput(bytes, offset, length, classLoader.get(),
        allowList)) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      CodecException refused = ClassAllowList.refusal(e);
      if (refused != null) {
        throw refused;
      }
      throw new CodecException("Cannot deserialize a value (" + length + " bytes): " + e, e);
    } catch (StackOverflowError e) {
      throw new CodecException("Cannot deserialize a value (" + length + " bytes): nested too "
          + "deeply");
    }
  }
}
