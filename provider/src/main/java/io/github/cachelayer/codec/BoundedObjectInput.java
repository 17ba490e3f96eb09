package io.github.cachelayer.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Java deserialization of bytes from Redis (the jdk codec, and the classes Kryo hands to Java
 * serialization), bounded as {@link DecodeBudget} bounds Kryo: only allowed classes; at most
 * {@link DecodeBudget#MAX_DEPTH} nested objects; arrays no longer than the bytes, and all of them
 * together within {@link DecodeBudget#ALLOCATION_FACTOR} elements per byte; and an object graph
 * whose expanded size (shared parts counted every time they are reached, as a recursive
 * {@code hashCode} reaches them) stays within {@link DecodeBudget#EXPANSION_FACTOR} objects per
 * byte. The expanded size of each object is known before its container takes it (Java
 * deserialization resolves an object before handing it to the object that reads it), so a set
 * whose members share their own members is refused before it hashes them.
 *
 * <p>What this cannot bound: a hashed collection whose elements collide (equal hash codes,
 * unequal values) costs Java's own reading quadratic time in their number; the number is bounded
 * by the value's size. The Kryo codec (the default) refuses that shape.
 */
final class BoundedObjectInput extends LoaderObjectInput {
  private final long expansionLimit;
  private final IdentityHashMap<Object, Long> sizes = new IdentityHashMap<>();

  BoundedObjectInput(byte[] bytes, int offset, int length, ClassLoader loader,
      ClassAllowList allowList) throws IOException {
    super(new ByteArrayInputStream(bytes, offset, length), loader);
    this.expansionLimit = (long) DecodeBudget.EXPANSION_FACTOR * length
        + DecodeBudget.EXPANSION_BASE;
    setObjectInputFilter(filter(allowList, length));
    enableResolveObject(true);
  }

  private static ObjectInputFilter filter(ClassAllowList allowList, int length) {
    long allocationLimit = (long) DecodeBudget.ALLOCATION_FACTOR * length
        + DecodeBudget.ALLOCATION_BASE;
    long[] allocated = {0};
    return info -> {
      // Thrown from here, a CodecException becomes the cause of the stream's exception.
      if (info.depth() > DecodeBudget.MAX_DEPTH) {
        throw new CodecException("the value nests objects deeper than "
            + DecodeBudget.MAX_DEPTH);
      }
      if (info.references() > length || info.streamBytes() > length) {
        throw new CodecException("the value's stream claims more than its " + length + " bytes");
      }
      if (info.arrayLength() >= 0) {
        allocated[0] += info.arrayLength();
        if (info.arrayLength() > length || allocated[0] > allocationLimit) {
          throw new CodecException("an array of " + info.arrayLength() + " elements, more than "
              + "a value of " + length + " bytes may hold");
        }
      }
      Class<?> type = info.serialClass();
      if (type == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      allowList.check(type);
      return ObjectInputFilter.Status.ALLOWED;
    };
  }

  /** Every object passes here once, after its parts and before its container takes it. */
  @Override
  protected Object resolveObject(Object object) throws IOException {
    if (object != null) {
      long size = 1 + partsSize(object);
      if (size > expansionLimit) {
        throw new InvalidObjectException("the value's object graph expands to more than "
            + expansionLimit + " objects (parts shared many times over)");
      }
      sizes.put(object, size);
    }
    return object;
  }

  private long partsSize(Object object) throws InvalidObjectException {
    if (object instanceof CharSequence || object instanceof Number || object instanceof Enum
        || object instanceof Boolean || object instanceof Character || object instanceof Class) {
      return 0;
    }
    long sum = 0;
    if (object instanceof Collection<?> collection) {
      for (Object element : collection) {
        sum = add(sum, element);
      }
    } else if (object instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        sum = add(add(sum, entry.getKey()), entry.getValue());
      }
    } else if (object instanceof Object[] array) {
      for (Object element : array) {
        sum = add(sum, element);
      }
    } else if (object.getClass().isRecord()) {
      for (RecordComponent component : object.getClass().getRecordComponents()) {
        sum = add(sum, read(component, object));
      }
    } else if (!object.getClass().isArray()) {
      for (Class<?> type = object.getClass(); type != null && type != Object.class;
          type = type.getSuperclass()) {
        if (type.getModule().isNamed()) {
          break; // the JDK's own classes keep their fields to themselves; counted above
        }
        for (Field field : type.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
            sum = add(sum, read(field, object));
          }
        }
      }
    }
    return sum;
  }

  private long add(long sum, Object part) throws InvalidObjectException {
    if (part == null) {
      return sum;
    }
    Long known = sizes.get(part);
    long total = sum + (known == null ? 1 : known);
    if (total > expansionLimit) {
      throw new InvalidObjectException("the value's object graph expands to more than "
          + expansionLimit + " objects (parts shared many times over)");
    }
    return total;
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object read(Field field, Object object) {
    try {
      field.setAccessible(true);
      return field.get(object);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
