package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * CacheLayer's default codec: Kryo 5, class names written with each object (no registration to
 * keep in step between services), every class checked against the cache's
 * {@link ClassAllowList} before Kryo instantiates it. With schema evolution on, objects are
 * written with {@link CompatibleFieldSerializer}: fields added or removed between deploys are
 * tolerated, at some cost in size.
 */
public final class KryoValueCodec implements ValueCodec {
  private static final ClassLoader OWN_LOADER = KryoValueCodec.class.getClassLoader();

  private final KryoPool pool;
  private final Supplier<ClassLoader> classLoader;

  public KryoValueCodec(ClassAllowList allowList, boolean schemaEvolution,
      Supplier<ClassLoader> classLoader) {
    Objects.requireNonNull(allowList, "allowList");
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.pool = new KryoPool(() -> {
      Kryo kryo = KryoSetup.newKryo(new AllowListResolver(allowList), allowList);
      if (schemaEvolution) {
        kryo.setDefaultSerializer(CompatibleFieldSerializer.class);
      }
      return kryo;
    });
  }

  @Override
  public byte[] encode(Object value) {
    return encode(value, null, 0);
  }

  /** Writes the payload after the room, in the one array returned: no copy for a header. */
  @Override
  public byte[] encode(Object value, String place, int headroom) {
    Kryo kryo = obtain();
    ((AllowListResolver) kryo.getClassResolver()).encoding = true;
    try {
      Output output = ((KryoSetup.CacheKryo) kryo).output();
      for (int i = 0; i < headroom; i++) {
        output.writeByte(0);
      }
      kryo.writeClassAndObject(output, value);
      return output.toBytes();
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      // Kryo wraps what the allow-list resolver refused in its own trace: say what it was.
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof CodecException refused) {
          throw new CodecException("Cannot encode a " + value.getClass().getName() + ": "
              + refused.getMessage(), e);
        }
      }
      throw new CodecException("Cannot encode a " + value.getClass().getName(), e);
    } finally {
      release(kryo);
    }
  }

  @Override
  public Object decode(byte[] bytes) {
    return decode(bytes, 0);
  }

  @Override
  public Object decode(byte[] bytes, int offset) {
    Kryo kryo = obtain();
    DecodeBudget budget = ((KryoSetup.CacheKryo) kryo).budget();
    BoundedInput input = ((KryoSetup.CacheKryo) kryo).input();
    int length = bytes.length - offset;
    budget.start(length);
    input.reading(bytes, offset, length);
    try {
      return kryo.readClassAndObject(input);
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      CodecException refused = ClassAllowList.refusal(e);
      if (refused != null) {
        throw refused;
      }
      throw new CodecException("Cannot decode a value (" + length + " bytes): "
          + e.getMessage(), e);
    } catch (StackOverflowError e) {
      // Not expected past the depth limit; a serializer of the application's may recurse.
      throw new CodecException("Cannot decode a value (" + length + " bytes): nested too deeply");
    } finally {
      input.done();
      budget.finish();
      release(kryo);
    }
  }

  private Kryo obtain() {
    Kryo kryo = pool.obtain();
    kryo.setClassLoader(classLoader.get());
    return kryo;
  }

  private void release(Kryo kryo) {
    ((AllowListResolver) kryo.getClassResolver()).encoding = false;
    kryo.setClassLoader(OWN_LOADER);
    pool.free(kryo);
  }

  /**
   * Checks every class Kryo meets while decoding before it registers (and so may instantiate) it;
   * while encoding, records the classes written, which this cache may then read back.
   */
  /** A lambda's class is generated at run time: its bytes name a class nobody can load. */
  static boolean isLambda(Class<?> type) {
    return type == com.esotericsoftware.kryo.serializers.ClosureSerializer.Closure.class
        || (type.isSynthetic() && type.getName().contains("$$Lambda"));
  }

  private static final class AllowListResolver extends DefaultClassResolver {
    private final ClassAllowList allowList;
    /** Set by encode() for the time this (pooled, single-threaded) Kryo is encoding. */
    boolean encoding;

    AllowListResolver(ClassAllowList allowList) {
      this.allowList = allowList;
    }

    private void vet(Class<?> type) {
      if (encoding) {
        if (isLambda(type)) {
          throw new CodecException("Cannot store a lambda or method reference (" + type.getName()
              + "): no JVM can read it back, not even this one after a restart; store data "
              + "instead");
        }
        allowList.wrote(type);
      } else {
        allowList.check(type);
      }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Registration getRegistration(Class type) {
      vet(type);
      return super.getRegistration(type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Registration registerImplicit(Class type) {
      vet(type);
      return super.registerImplicit(type);
    }
  }
}
