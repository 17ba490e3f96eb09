package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
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
            c.getDeclaredMethod(name);
            return true;
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

  /** Java serialization for Kryo, copying in memory by a round trip that honours the hooks. */
  static final class HookedJavaSerializer extends JavaSerializer {
    @Override
    public Object copy(Kryo kryo, Object original) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(original);
        }
        try (ObjectInputStream in = new LoaderObjectInputStream(
            new ByteArrayInputStream(bytes.toByteArray()), kryo.getClassLoader())) {
          return in.readObject();
        }
      } catch (IOException | ClassNotFoundException e) {
        throw new KryoException("Java serialization copy of " + original.getClass().getName()
            + " failed", e);
      }
    }
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass description)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(description.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(description);
      }
    }
  }
}
