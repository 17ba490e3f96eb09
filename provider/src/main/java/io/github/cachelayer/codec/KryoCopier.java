package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Objects;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * Store-by-value copies made with Kryo: a deep copy in memory, far cheaper than the Java
 * serialization round trip the JCache reference implementation uses, and not limited to
 * {@code Serializable} classes. Local copies never read bytes from outside the JVM, so no class
 * allow-list applies here (the Redis codec has one).
 */
public final class KryoCopier implements Copier {
  private static final ClassLoader OWN_LOADER = KryoCopier.class.getClassLoader();

  private final KryoPool pool;
  private final Supplier<ClassLoader> classLoader;

  /**
   * @param classLoader the application's class loader, asked on every copy: pooled Kryo
   *     instances must not keep it alive after its application is undeployed
   */
  public KryoCopier(Supplier<ClassLoader> classLoader) {
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.pool = new KryoPool(
        () -> KryoSetup.newKryo(new com.esotericsoftware.kryo.util.DefaultClassResolver(), null));
  }

  @Override
  public <T> T copy(T object) {
    if (ImmutableTypes.isImmutable(object)) {
      return object;
    }
    Kryo kryo = pool.obtain();
    kryo.setClassLoader(classLoader.get());
    try {
      try {
        return kryo.copy(object);
      } catch (KryoException unsupported) {
        // Some serializers cannot copy in memory; a byte round trip always can.
        return roundTrip(kryo, object);
      }
    } catch (RuntimeException e) {
      throw new CacheException("Could not copy a value of " + object.getClass().getName()
          + " for store-by-value; make the class copyable, or (fallback mode only) configure "
          + "store-by-value = false for this cache", e);
    } finally {
      kryo.setClassLoader(OWN_LOADER);
      pool.free(kryo);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(Kryo kryo, T object) {
    Output output = new Output(256, -1);
    kryo.writeClassAndObject(output, object);
    try (Input input = new Input(output.getBuffer(), 0, output.position())) {
      return (T) kryo.readClassAndObject(input);
    }
  }
}
