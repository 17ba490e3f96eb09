package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Classes that take part in their own Java serialization ({@code readResolve} or
 * {@code writeReplace}, such as Spring's {@code NullValue} singleton, compared by identity) must be
 * copied through Java serialization, or their copy would be a second instance of a singleton.
 */
final class SerializationHooks {
  private static final ClassValue<Boolean> HAS_HOOKS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      if (!Serializable.class.isAssignableFrom(type)) {
        return false;
      }
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (String name : new String[] {"readResolve", "writeReplace"}) {
          try {
            return c.getDeclaredMethod(name) != null; // throws when there is none
          } catch (NoSuchMethodException absent) {
            // keep looking
          }
        }
      }
      return false;
    }
  };

  private SerializationHooks() {}

  static boolean declaredBy(Class<?> type) {
    return HAS_HOOKS.get(type);
  }

  /**
   * Java serialization inside Kryo for classes with hooks. With an allow-list (the Redis codec),
   * reading goes through its filter, so an allowed outer class cannot smuggle in a gadget chain,
   * and writing records every class written; without one (in-memory copies) nothing is checked,
   * as no bytes come from outside.
   */
  static final class HookedJavaSerializer extends JavaSerializer {
    private final ClassAllowList allowList;

    HookedJavaSerializer(ClassAllowList allowList) {
      this.allowList = allowList;
    }

    @Override
    public void write(Kryo kryo, com.esotericsoftware.kryo.io.Output output, Object object) {
      byte[] bytes = serialize(object, allowList);
      output.writeVarInt(bytes.length, true);
      output.writeBytes(bytes);
    }

    @Override
    @SuppressWarnings("rawtypes") // Kryo's Serializer signature
    public Object read(Kryo kryo, com.esotericsoftware.kryo.io.Input input, Class type) {
      byte[] bytes = input.readBytes(input.readVarInt(true));
      return deserialize(bytes, kryo.getClassLoader(), allowList);
    }

    @Override
    public Object copy(Kryo kryo, Object original) {
      return deserialize(serialize(original, null), kryo.getClassLoader(), null);
    }
  }

  private static byte[] serialize(Object object, ClassAllowList allowList) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
        @Override
        protected void annotateClass(Class<?> type) {
          if (allowList != null) {
            allowList.wrote(type);
          }
        }
      }) {
        out.writeObject(object);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new KryoException("Java serialization of " + object.getClass().getName()
          + " failed", e);
    }
  }

  private static Object deserialize(byte[] bytes, ClassLoader loader, ClassAllowList allowList) {
    try (ObjectInputStream in = allowList == null
        ? new LoaderObjectInput(new ByteArrayInputStream(bytes), loader)
        : new BoundedObjectInput(bytes, 0, bytes.length, loader, allowList)) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new KryoException("Java deserialization failed: " + e, e);
    }
  }
}
