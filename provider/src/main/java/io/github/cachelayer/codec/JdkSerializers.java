package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Kryo serializers for the JDK value types that applications and frameworks cache, whose fields the
 * JDK keeps to itself since Java 17 (Kryo's field serializer cannot reach them without
 * {@code --add-opens}). Each writes what the type's public API shows and rebuilds the value
 * through public factories, so the class a reader instantiates is always a plain, allowed one.
 */
final class JdkSerializers {
  private JdkSerializers() {}

  /** @param allowList the Redis codec's allow-list, or null for in-memory copies */
  static void addTo(Kryo kryo, ClassAllowList allowList) {
    kryo.addDefaultSerializer(java.util.UUID.class, new DefaultSerializers.UUIDSerializer());
    kryo.addDefaultSerializer(java.net.URI.class, new DefaultSerializers.URISerializer());
    kryo.addDefaultSerializer(java.util.regex.Pattern.class,
        new DefaultSerializers.PatternSerializer());
    kryo.addDefaultSerializer(java.sql.Timestamp.class,
        new DefaultSerializers.TimestampSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicBoolean.class,
        new DefaultSerializers.AtomicBooleanSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicInteger.class,
        new DefaultSerializers.AtomicIntegerSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicLong.class,
        new DefaultSerializers.AtomicLongSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicReference.class,
        new DefaultSerializers.AtomicReferenceSerializer());
    kryo.addDefaultSerializer(java.util.Locale.class, new LocaleSerializer());
    kryo.addDefaultSerializer(EnumMap.class, new EnumMapSerializer(allowList));
    kryo.addDefaultSerializer(Collections.emptyNavigableSet().getClass(),
        new Constant<>(Collections.emptyNavigableSet()));
    kryo.addDefaultSerializer(Collections.emptyNavigableMap().getClass(),
        new Constant<>(Collections.emptyNavigableMap()));
    addImmutableCollections(kryo);
    addWrappers(kryo);
  }

  /** {@code List.of}, {@code Set.of}, {@code Map.of} and {@code Stream.toList()}. */
  private static void addImmutableCollections(Kryo kryo) {
    Serializer<List<?>> lists = new Rebuilding<>(ArrayList::new, JdkSerializers::immutableList);
    for (List<?> sample : List.of(List.of(), List.of(1), List.of(1, 2, 3),
        List.of(1, 2, 3, 4).subList(0, 2), java.util.stream.Stream.of(1, 2, 3).toList())) {
      kryo.addDefaultSerializer(sample.getClass(), lists);
    }
    Serializer<Set<?>> sets = new Rebuilding<>(ArrayList::new, c -> Set.copyOf((List<?>) c), true);
    for (Set<?> sample : List.of(Set.of(), Set.of(1), Set.of(1, 2, 3))) {
      kryo.addDefaultSerializer(sample.getClass(), sets);
    }
    Serializer<Map<?, ?>> maps = new Rebuilding<>(LinkedHashMap::new,
        m -> Map.copyOf((Map<?, ?>) m));
    for (Map<?, ?> sample : List.of(Map.of(), Map.of(1, 1), Map.of(1, 1, 2, 2))) {
      kryo.addDefaultSerializer(sample.getClass(), maps);
    }
  }

  /** An immutable list as {@code List.of} makes it, or as {@code Stream.toList()} does with nulls. */
  private static List<?> immutableList(Object content) {
    List<?> list = (List<?>) content;
    return list.contains(null) ? list.stream().toList() : List.copyOf(list);
  }

  /**
   * {@code Collections.unmodifiable*}, {@code synchronized*} over the plain collections (values
   * may be LinkedLists, so their wrappers are registered too).
   */
  @SuppressWarnings({"unchecked", "rawtypes", "JdkObsolete"})
  private static void addWrappers(Kryo kryo) {
    ArrayList<Object> arrayList = new ArrayList<>();
    LinkedList<Object> linkedList = new LinkedList<>();
    TreeSet<Object> treeSet = new TreeSet<>();
    TreeMap<Object, Object> treeMap = new TreeMap<>();
    wrapper(kryo, Collections.unmodifiableCollection(arrayList), ArrayList::new,
        c -> Collections.unmodifiableCollection((Collection) c));
    wrapper(kryo, Collections.unmodifiableList(arrayList), ArrayList::new,
        c -> Collections.unmodifiableList((List) c));
    wrapper(kryo, Collections.unmodifiableList(linkedList), LinkedList::new,
        c -> Collections.unmodifiableList((List) c));
    wrapper(kryo, Collections.unmodifiableSet(new LinkedHashSet<>()), LinkedHashSet::new,
        c -> Collections.unmodifiableSet((Set) c));
    wrapper(kryo, Collections.unmodifiableSortedSet(treeSet), JdkSerializers::sortedCopy,
        c -> Collections.unmodifiableSortedSet((SortedSet) c));
    wrapper(kryo, Collections.unmodifiableNavigableSet(treeSet), JdkSerializers::sortedCopy,
        c -> Collections.unmodifiableNavigableSet((NavigableSet) c));
    wrapper(kryo, Collections.unmodifiableMap(treeMap), LinkedHashMap::new,
        m -> Collections.unmodifiableMap((Map) m));
    wrapper(kryo, Collections.unmodifiableSortedMap(treeMap), JdkSerializers::sortedCopy,
        m -> Collections.unmodifiableSortedMap((SortedMap) m));
    wrapper(kryo, Collections.unmodifiableNavigableMap(treeMap), JdkSerializers::sortedCopy,
        m -> Collections.unmodifiableNavigableMap((NavigableMap) m));
    wrapper(kryo, Collections.synchronizedCollection(arrayList), ArrayList::new,
        c -> Collections.synchronizedCollection((Collection) c));
    wrapper(kryo, Collections.synchronizedList(arrayList), ArrayList::new,
        c -> Collections.synchronizedList((List) c));
    wrapper(kryo, Collections.synchronizedList(linkedList), LinkedList::new,
        c -> Collections.synchronizedList((List) c));
    wrapper(kryo, Collections.synchronizedSet(new LinkedHashSet<>()), LinkedHashSet::new,
        c -> Collections.synchronizedSet((Set) c));
    wrapper(kryo, Collections.synchronizedSortedSet(treeSet), JdkSerializers::sortedCopy,
        c -> Collections.synchronizedSortedSet((SortedSet) c));
    wrapper(kryo, Collections.synchronizedNavigableSet(treeSet), JdkSerializers::sortedCopy,
        c -> Collections.synchronizedNavigableSet((NavigableSet) c));
    wrapper(kryo, Collections.synchronizedMap(treeMap), LinkedHashMap::new,
        m -> Collections.synchronizedMap((Map) m));
    wrapper(kryo, Collections.synchronizedSortedMap(treeMap), JdkSerializers::sortedCopy,
        m -> Collections.synchronizedSortedMap((SortedMap) m));
    wrapper(kryo, Collections.synchronizedNavigableMap(treeMap), JdkSerializers::sortedCopy,
        m -> Collections.synchronizedNavigableMap((NavigableMap) m));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <W> void wrapper(Kryo kryo, W sample, Function<W, Object> content,
      Function<Object, W> wrap) {
    kryo.addDefaultSerializer(sample.getClass(), new Rebuilding(content, wrap));
  }

  /** A sorted set or map's content in a TreeSet or TreeMap with the same comparator. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object sortedCopy(Object sorted) {
    if (sorted instanceof SortedSet set) {
      TreeSet copy = new TreeSet(set.comparator());
      copy.addAll(set);
      return copy;
    }
    SortedMap map = (SortedMap) sorted;
    TreeMap copy = new TreeMap(map.comparator());
    copy.putAll(map);
    return copy;
  }

  /**
   * Writes a value as a plain collection holding its content and rebuilds it from that with a
   * public factory: the content is serialized (and copied) by Kryo like any other collection.
   */
  private static final class Rebuilding<T> extends Serializer<T> {
    private final Function<T, Object> content;
    private final Function<Object, T> rebuild;
    /** Whether the rebuild hashes a list's elements (Set.copyOf): checked before, as sets are. */
    private final boolean hashesContent;

    Rebuilding(Function<T, Object> content, Function<Object, T> rebuild) {
      this(content, rebuild, false);
    }

    Rebuilding(Function<T, Object> content, Function<Object, T> rebuild, boolean hashesContent) {
      this.content = content;
      this.rebuild = rebuild;
      this.hashesContent = hashesContent;
    }

    @Override
    public void write(Kryo kryo, Output output, T value) {
      kryo.writeClassAndObject(output, contentOf(value));
    }

    /** Under the value's lock: a synchronized wrapper's iteration must hold it. */
    private Object contentOf(T value) {
      synchronized (value) {
        return content.apply(value);
      }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      Object read = kryo.readClassAndObject(input);
      if (hashesContent && read instanceof List<?> elements
          && kryo instanceof KryoSetup.CacheKryo cache && cache.budget() != null) {
        cache.budget().checkHashes(elements);
      }
      return rebuild.apply(read);
    }

    @Override
    public T copy(Kryo kryo, T original) {
      return rebuild.apply(kryo.copy(contentOf(original)));
    }
  }

  /**
   * An EnumMap by its key type, taken from its first key; an empty one goes through Java
   * serialization (its key type is not public, and an empty map holds nothing else).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final class EnumMapSerializer extends Serializer<EnumMap> {
    private final SerializationHooks.HookedJavaSerializer empty;

    EnumMapSerializer(ClassAllowList allowList) {
      this.empty = new SerializationHooks.HookedJavaSerializer(allowList);
    }

    @Override
    public void write(Kryo kryo, Output output, EnumMap map) {
      if (map.isEmpty()) {
        output.writeVarInt(0, true);
        empty.write(kryo, output, map);
        return;
      }
      output.writeVarInt(map.size(), true);
      kryo.writeClass(output, ((Enum<?>) map.keySet().iterator().next()).getDeclaringClass());
      for (Map.Entry<Enum<?>, Object> entry : ((Map<Enum<?>, Object>) map).entrySet()) {
        @SuppressWarnings("EnumOrdinal") // as EnumMap's own serial form: the ordinal is the slot
        int slot = entry.getKey().ordinal();
        output.writeVarInt(slot, true);
        kryo.writeClassAndObject(output, entry.getValue());
      }
    }

    @Override
    public EnumMap read(Kryo kryo, Input input, Class<? extends EnumMap> type) {
      int size = input.readVarInt(true);
      if (size == 0) {
        return (EnumMap) empty.read(kryo, input, type);
      }
      Class keyType = kryo.readClass(input).getType();
      Object[] keys = keyType.getEnumConstants();
      EnumMap map = new EnumMap(keyType);
      for (int i = 0; i < size; i++) {
        map.put((Enum) keys[input.readVarInt(true)], kryo.readClassAndObject(input));
      }
      return map;
    }

    @Override
    public EnumMap copy(Kryo kryo, EnumMap original) {
      EnumMap copy = new EnumMap(original);
      copy.replaceAll((key, value) -> kryo.copy(value));
      return copy;
    }
  }

  /** A value with one instance, such as {@code Collections.emptyNavigableSet()}. */
  private static final class Constant<T> extends ImmutableSerializer<T> {
    private final T value;

    Constant(T value) {
      this.value = value;
    }

    @Override
    public void write(Kryo kryo, Output output, T object) {}

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      return value;
    }
  }

  /**
   * A Locale with its script and extensions (Kryo's own keeps language, country and variant only):
   * by its language tag where it has them, else by its three parts, which also keep the legacy
   * forms ({@code ja_JP_JP}) that a tag would rewrite.
   */
  private static final class LocaleSerializer extends ImmutableSerializer<java.util.Locale> {
    @Override
    public void write(Kryo kryo, Output output, java.util.Locale locale) {
      boolean tagged = !locale.getScript().isEmpty() || locale.hasExtensions();
      output.writeBoolean(tagged);
      if (tagged) {
        output.writeString(locale.toLanguageTag());
      } else {
        output.writeString(locale.getLanguage());
        output.writeString(locale.getCountry());
        output.writeString(locale.getVariant());
      }
    }

    @Override
    public java.util.Locale read(Kryo kryo, Input input, Class<? extends java.util.Locale> type) {
      if (input.readBoolean()) {
        return java.util.Locale.forLanguageTag(input.readString());
      }
      return new java.util.Locale(input.readString(), input.readString(), input.readString());
    }
  }
}
