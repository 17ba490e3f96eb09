package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.Serializable;
import org.objenesis.strategy.StdInstantiatorStrategy;

/** The one way CacheLayer configures Kryo, for copies and for Redis values alike. */
final class KryoSetup {
  private static final Module KRYO_MODULE = Kryo.class.getModule();

  private KryoSetup() {}

  /**
   * Kryo with class names written (no registration to keep in step), references kept (shared and
   * cyclic graphs), objects made without calling constructors, serializers for the JDK's
   * encapsulated value types ({@link JdkSerializers}), and Java serialization for the classes that
   * take part in their own ({@link SerializationHooks}) or whose fields their module keeps private.
   *
   * @param allowList the Redis codec's allow-list, or null for in-memory copies
   */
  static Kryo newKryo(DefaultClassResolver resolver, ClassAllowList allowList) {
    Kryo kryo = new Kryo(resolver, null) {
      @Override
      @SuppressWarnings("rawtypes")
      public Serializer getDefaultSerializer(Class type) {
        // An application's serialization singleton (Spring's NullValue) must stay one; the JDK's
        // classes with hooks mostly have a serializer of their own, found by the lookup below.
        if (SerializationHooks.declaredBy(type) && !isEncapsulated(type)) {
          return new SerializationHooks.HookedJavaSerializer(allowList);
        }
        Serializer found = super.getDefaultSerializer(type);
        // Kryo's generic collection and map serializers make the class without a constructor;
        // a JDK class that cannot be made in public (HashMap's key set) would come out broken.
        Class<?> kind = found.getClass();
        if ((kind == CollectionSerializer.class || kind == MapSerializer.class)
            && isEncapsulated(type) && !hasPublicConstructor(type)) {
          return encapsulated(type);
        }
        return found;
      }

      @Override
      @SuppressWarnings("rawtypes")
      protected Serializer newDefaultSerializer(Class type) {
        return isEncapsulated(type) ? encapsulated(type) : super.newDefaultSerializer(type);
      }

      @SuppressWarnings("rawtypes")
      private Serializer encapsulated(Class type) {
        if (Serializable.class.isAssignableFrom(type)) {
          return new SerializationHooks.HookedJavaSerializer(allowList);
        }
        throw new KryoException(type.getName() + " keeps its fields private to "
            + type.getModule().getName() + " and is not Serializable, so it cannot be copied or "
            + "stored; cache a value type instead");
      }
    };
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    JdkSerializers.addTo(kryo, allowList);
    return kryo;
  }

  private static boolean hasPublicConstructor(Class<?> type) {
    if (!java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
      return false;
    }
    try {
      type.getConstructor();
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Whether the class's module keeps its fields from Kryo (the JDK's, since Java 17). */
  private static boolean isEncapsulated(Class<?> type) {
    Module module = type.getModule();
    return module.isNamed() && !type.isArray()
        && !module.isOpen(type.getPackageName(), KRYO_MODULE);
  }
}
