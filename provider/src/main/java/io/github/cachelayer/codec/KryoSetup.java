package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
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
    CacheKryo kryo = new CacheKryo(resolver, allowList);
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    if (allowList != null) {
      // Bytes from Redis: no object nested deeper than this, written or read.
      kryo.setMaxDepth(DecodeBudget.MAX_DEPTH);
    }
    JdkSerializers.addTo(kryo, allowList);
    return kryo;
  }

  /**
   * CacheLayer's Kryo. For the Redis codec (an allow-list given) it reads through a
   * {@link DecodeBudget}: every object read is counted into the graph's expanded size, every
   * claimed length checked, and the serializers that size a collection by what the bytes claim
   * are replaced by bounded ones ({@link BoundedSerializers}). Copies in memory take none of
   * that: their bytes never leave the JVM.
   */
  static final class CacheKryo extends Kryo {
    /**
     * The largest encode buffer an instance keeps between encodes (bytes). Every cache pools its
     * own instances (64 slots, 8 per core on larger machines), so this also bounds what a cache
     * keeps: 512 KiB at 64.
     */
    static final int KEPT_OUTPUT = 8 * 1024;

    private final ClassAllowList allowList;
    private final DecodeBudget budget;
    private final BoundedInput input;
    private Output output;

    CacheKryo(DefaultClassResolver resolver, ClassAllowList allowList) {
      super(resolver, allowList == null ? null : new TrackingReferences());
      this.allowList = allowList;
      this.budget = allowList == null ? null : new DecodeBudget();
      this.input = budget == null ? null : new BoundedInput(budget);
      if (budget != null) {
        ((TrackingReferences) getReferenceResolver()).budget = budget;
      }
    }

    /** The budget of the decode under way, or null for in-memory copies. */
    DecodeBudget budget() {
      return budget;
    }

    /** The input this instance decodes bytes from Redis with (null for in-memory copies). */
    BoundedInput input() {
      return input;
    }

    /**
     * The output this instance encodes into, empty: its buffer stays with the pooled instance
     * from one encode to the next, so an encode allocates only the bytes it returns (a new
     * output cost two more arrays per put). A buffer grown past {@link #KEPT_OUTPUT} for a large
     * value is not kept: such a value allocates its buffer each time, as before.
     */
    Output output() {
      if (output == null || output.getBuffer().length > KEPT_OUTPUT) {
        output = new Output(256, -1);
      }
      output.reset();
      return output;
    }

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
      return budget == null ? found : BoundedSerializers.bounded(this, type, found);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Serializer newDefaultSerializer(Class type) {
      if (isEncapsulated(type)) {
        return encapsulated(type);
      }
      // An application's exception (Spring Security's BadCredentialsException, kept in a session
      // after a failed sign-in) inherits Throwable's fields, which java.base keeps from Kryo:
      // field by field it cannot be read, so it goes the way Throwable itself was made to go.
      if (Serializable.class.isAssignableFrom(type) && inheritsEncapsulatedState(type)) {
        return new SerializationHooks.HookedJavaSerializer(allowList);
      }
      return super.newDefaultSerializer(type);
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

    // Every object read passes through one of these: counted into the graph's expanded size.

    @Override
    public Object readClassAndObject(Input input) {
      if (budget == null || !budget.isActive()) {
        return super.readClassAndObject(input);
      }
      budget.enter();
      Object result = super.readClassAndObject(input);
      budget.exit(result);
      return result;
    }

    @Override
    public <T> T readObject(Input input, Class<T> type) {
      if (budget == null || !budget.isActive()) {
        return super.readObject(input, type);
      }
      budget.enter();
      T result = super.readObject(input, type);
      budget.exit(result);
      return result;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
      if (budget == null || !budget.isActive()) {
        return super.readObject(input, type, serializer);
      }
      budget.enter();
      T result = super.readObject(input, type, serializer);
      budget.exit(result);
      return result;
    }

    @Override
    public <T> T readObjectOrNull(Input input, Class<T> type) {
      if (budget == null || !budget.isActive()) {
        return super.readObjectOrNull(input, type);
      }
      budget.enter();
      T result = super.readObjectOrNull(input, type);
      budget.exit(result);
      return result;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
      if (budget == null || !budget.isActive()) {
        return super.readObjectOrNull(input, type, serializer);
      }
      budget.enter();
      T result = super.readObjectOrNull(input, type, serializer);
      budget.exit(result);
      return result;
    }
  }

  /** Kryo's references, telling the budget which objects are new and which are read again. */
  static final class TrackingReferences extends MapReferenceResolver {
    DecodeBudget budget;

    @Override
    @SuppressWarnings("rawtypes")
    public int nextReadId(Class type) {
      int id = super.nextReadId(type);
      budget.newObject(id);
      return id;
    }

    @Override
    public void setReadObject(int id, Object object) {
      super.setReadObject(id, object);
      budget.known(id, object);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object getReadObject(Class type, int id) {
      Object object = super.getReadObject(type, id);
      budget.backReference(id);
      return object;
    }
  }

  private static boolean hasPublicConstructor(Class<?> type) {
    if (!java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
      return false;
    }
    try {
      return type.getConstructor() != null; // throws when there is none
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Whether the class's module keeps its fields from Kryo (the JDK's, since Java 17). */
  /** Whether a superclass of {@code type} has instance fields its module keeps from Kryo. */
  private static boolean inheritsEncapsulatedState(Class<?> type) {
    for (Class<?> c = type.getSuperclass(); c != null && c != Object.class;
        c = c.getSuperclass()) {
      if (isEncapsulated(c)) {
        for (java.lang.reflect.Field field : c.getDeclaredFields()) {
          if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isEncapsulated(Class<?> type) {
    Module module = type.getModule();
    return module.isNamed() && !type.isArray()
        && !module.isOpen(type.getPackageName(), KRYO_MODULE);
  }
}
