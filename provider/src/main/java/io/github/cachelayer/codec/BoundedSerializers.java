package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ArraysAsListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Kryo's serializers that make a collection or array of the size the bytes claim, each with the
 * claim checked first ({@link DecodeBudget#claim}), and collections made no larger up front than
 * {@link #PRESIZE} (they grow as elements really arrive). The wire format is Kryo's: values
 * written before stay readable.
 */
final class BoundedSerializers {
  /** The most slots a collection is given before its elements arrive. */
  static final int PRESIZE = 1_024;

  private BoundedSerializers() {}

  /** The bounded form of the serializer Kryo chose, or that serializer when none is needed. */
  @SuppressWarnings("rawtypes")
  static Serializer bounded(Kryo kryo, Class type, Serializer found) {
    Class<?> kind = found.getClass();
    if (kind == CollectionSerializer.class) {
      return new BoundedCollection<>();
    }
    if (kind == MapSerializer.class) {
      return new BoundedMap<>();
    }
    if (kind == ArraysAsListSerializer.class) {
      return new BoundedArraysAsList();
    }
    if (kind == PriorityQueueSerializer.class) {
      return new BoundedPriorityQueue();
    }
    if (kind == ObjectArraySerializer.class) {
      return new BoundedObjectArray(kryo, type);
    }
    if (kind == StringArraySerializer.class) {
      return new BoundedStringArray();
    }
    return found;
  }

  private static DecodeBudget budget(Kryo kryo) {
    return kryo instanceof KryoSetup.CacheKryo cache ? cache.budget() : null;
  }

  /** A collection's size: its elements may be nulls that take no bytes of their own. */
  private static int checked(Kryo kryo, Input input, int size, int minBytes, String what) {
    DecodeBudget budget = budget(kryo);
    if (budget != null) {
      budget.claim(size, minBytes, input.limit() - input.position(), what);
    }
    return Math.min(size, PRESIZE);
  }

  /** An array's length, the first varint of its bytes (0 stands for null): peeked, checked. */
  private static void checkArray(Kryo kryo, Input input, String what) {
    DecodeBudget budget = budget(kryo);
    if (budget == null || input.position() >= input.limit()) {
      return;
    }
    int start = input.position();
    int length = input.readVarInt(true);
    input.setPosition(start);
    budget.claim(Math.max(0, length - 1), 1, input.limit() - input.position() - 1, what);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class BoundedCollection<T extends Collection> extends CollectionSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      return super.create(kryo, input, type, checked(kryo, input, size, 0, "a collection"));
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class BoundedMap<T extends Map> extends MapSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      return super.create(kryo, input, type, checked(kryo, input, size, 2, "a map"));
    }
  }

  @SuppressWarnings("rawtypes")
  static final class BoundedArraysAsList extends ArraysAsListSerializer {
    @Override
    protected List create(Kryo kryo, Input input, Class type, int size) {
      return super.create(kryo, input, type, checked(kryo, input, size, 0, "a list"));
    }
  }

  @SuppressWarnings("rawtypes")
  static final class BoundedPriorityQueue extends PriorityQueueSerializer {
    @Override
    protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type,
        int size) {
      return super.create(kryo, input, type, checked(kryo, input, size, 1, "a priority queue"));
    }
  }

  static final class BoundedObjectArray extends ObjectArraySerializer {
    @SuppressWarnings("rawtypes")
    BoundedObjectArray(Kryo kryo, Class type) {
      super(kryo, type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object[] read(Kryo kryo, Input input, Class type) {
      checkArray(kryo, input, "an array");
      return super.read(kryo, input, type);
    }
  }

  static final class BoundedStringArray extends StringArraySerializer {
    @Override
    @SuppressWarnings("rawtypes")
    public String[] read(Kryo kryo, Input input, Class type) {
      checkArray(kryo, input, "a string array");
      return super.read(kryo, input, type);
    }
  }
}
