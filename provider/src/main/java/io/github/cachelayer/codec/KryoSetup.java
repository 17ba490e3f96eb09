package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/** The one way CacheLayer configures Kryo, for copies and for Redis values alike. */
final class KryoSetup {
  private KryoSetup() {}

  /**
   * Kryo with class names written (no registration to keep in step), references kept (shared and
   * cyclic graphs), objects made without calling constructors, and classes that take part in their
   * own Java serialization handled by it (see {@link SerializationHooks}).
   */
  /** @param allowList the Redis codec's allow-list, or null for in-memory copies */
  static Kryo newKryo(DefaultClassResolver resolver, ClassAllowList allowList) {
    Kryo kryo = new Kryo(resolver, null) {
      @Override
      @SuppressWarnings("rawtypes")
      public Serializer getDefaultSerializer(Class type) {
        return SerializationHooks.declaredBy(type)
            ? new SerializationHooks.HookedJavaSerializer(allowList)
            : super.getDefaultSerializer(type);
      }
    };
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    return kryo;
  }
}
