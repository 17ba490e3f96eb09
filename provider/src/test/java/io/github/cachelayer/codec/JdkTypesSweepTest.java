package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The value types frameworks and applications put into caches, swept through the store-by-value
 * copier and through each Redis codec as another JVM would read them (a codec of its own, so the
 * class the writer recorded does not vouch for the reader). Runs without {@code --add-opens}: the
 * JDK's encapsulated classes must work as they are.
 */
class JdkTypesSweepTest {
  enum Color { RED, GREEN, BLUE { @Override public String toString() { return "blue"; } } }

  record Point(int x, String label, List<String> tags) implements Serializable {}

  /** An application's Serializable class holding encapsulated JDK types, as Hibernate's soft lock does. */
  static final class Lock implements Serializable {
    private static final long serialVersionUID = 1L;
    final long timeout;
    final UUID source;
    final Object version;

    Lock(long timeout, UUID source, Object version) {
      this.timeout = timeout;
      this.source = source;
      this.version = version;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Lock l && l.timeout == timeout && l.source.equals(source)
          && l.version.equals(version);
    }

    @Override
    public int hashCode() {
      return source.hashCode();
    }
  }

  private static final Supplier<ClassLoader> LOADER = JdkTypesSweepTest.class::getClassLoader;
  /** What the reading JVM allows beyond the defaults: this test's own classes. */
  private static final List<String> APP = List.of("io.github.cachelayer.codec.JdkTypesSweepTest$*");

  static Map<String, Object> values() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("UUID", UUID.randomUUID());
    v.put("BigDecimal", new BigDecimal("-12345.678900"));
    v.put("BigInteger", new BigInteger("123456789012345678901234567890"));
    v.put("Optional", Optional.of("x"));
    v.put("Optional.empty", Optional.empty());
    v.put("OptionalInt", OptionalInt.of(7));
    v.put("OptionalLong", OptionalLong.of(7L));
    v.put("OptionalDouble", OptionalDouble.of(0.5));
    v.put("Locale", Locale.CANADA_FRENCH);
    v.put("Locale with script", Locale.forLanguageTag("sr-Latn-RS"));
    v.put("Currency", Currency.getInstance("EUR"));
    v.put("URI", URI.create("https://example.com/a?b=c#d"));
    v.put("enum", Color.RED);
    v.put("enum constant with a body", Color.BLUE);
    v.put("EnumSet", EnumSet.of(Color.RED, Color.BLUE));
    v.put("EnumSet empty", EnumSet.noneOf(Color.class));
    v.put("EnumMap", new EnumMap<>(Map.of(Color.GREEN, 2)));
    v.put("EnumMap empty", new EnumMap<Color, Integer>(Color.class));
    v.put("List.of()", List.of());
    v.put("List.of(1)", List.of(1));
    v.put("List.of(1, 2, 3)", List.of(1, 2, 3));
    v.put("Set.of(a)", Set.of("a"));
    v.put("Set.of(a, b, c)", Set.of("a", "b", "c"));
    v.put("Map.of()", Map.of());
    v.put("Map.of(a, 1)", Map.of("a", 1));
    v.put("Map.of(a, 1, b, 2)", Map.of("a", 1, "b", 2));
    v.put("Stream.toList()", Stream.of("a", "b").toList());
    v.put("unmodifiableList", Collections.unmodifiableList(new ArrayList<>(List.of("a", "b"))));
    v.put("unmodifiableList (linked)",
        Collections.unmodifiableList(new java.util.LinkedList<>(List.of("a"))));
    v.put("unmodifiableSet", Collections.unmodifiableSet(new LinkedHashSet<>(List.of("a", "b"))));
    v.put("unmodifiableSortedSet", Collections.unmodifiableSortedSet(new TreeSet<>(List.of("b", "a"))));
    v.put("unmodifiableNavigableSet",
        Collections.unmodifiableNavigableSet(new TreeSet<>(List.of("b", "a"))));
    v.put("unmodifiableMap", Collections.unmodifiableMap(new HashMap<>(Map.of("a", 1))));
    v.put("unmodifiableSortedMap",
        Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("b", 1, "a", 2))));
    v.put("unmodifiableNavigableMap",
        Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of("b", 1, "a", 2))));
    v.put("unmodifiableCollection", Collections.unmodifiableCollection(new ArrayList<>(List.of(1))));
    v.put("synchronizedList", Collections.synchronizedList(new ArrayList<>(List.of("a"))));
    v.put("synchronizedSet", Collections.synchronizedSet(new java.util.HashSet<>(List.of("a"))));
    v.put("synchronizedMap", Collections.synchronizedMap(new HashMap<>(Map.of("a", 1))));
    v.put("synchronizedSortedMap", Collections.synchronizedSortedMap(new TreeMap<>(Map.of("a", 1))));
    v.put("synchronizedCollection", Collections.synchronizedCollection(new ArrayList<>(List.of(1))));
    v.put("emptyList", Collections.emptyList());
    v.put("emptySet", Collections.emptySet());
    v.put("emptyMap", Collections.emptyMap());
    v.put("emptySortedSet", Collections.emptySortedSet());
    v.put("emptyNavigableMap", Collections.emptyNavigableMap());
    v.put("singletonList", Collections.singletonList("a"));
    v.put("singleton", Collections.singleton("a"));
    v.put("singletonMap", Collections.singletonMap("a", 1));
    v.put("Arrays.asList", Arrays.asList("a", null, "c"));
    v.put("record", new Point(1, "p", List.of("t")));
    v.put("int[]", new int[] {1, 2, 3});
    v.put("String[][]", new String[][] {{"a"}, {"b", null}});
    v.put("Object[] mixed", new Object[] {1, "two", UUID.randomUUID(), LocalDate.of(2020, 1, 2)});
    v.put("Instant", Instant.parse("2026-12-03T07:00:00.123456789Z"));
    v.put("LocalDate", LocalDate.of(1965, 8, 1));
    v.put("LocalDateTime", LocalDateTime.of(2026, 12, 3, 7, 0, 1, 5));
    v.put("LocalTime", LocalTime.of(7, 0, 1, 5));
    v.put("OffsetDateTime", OffsetDateTime.of(2026, 12, 3, 7, 0, 0, 0, ZoneOffset.ofHours(2)));
    v.put("OffsetTime", OffsetTime.of(7, 0, 0, 0, ZoneOffset.ofHours(-3)));
    v.put("ZonedDateTime", ZonedDateTime.of(2026, 12, 3, 7, 0, 0, 0, ZoneId.of("Europe/Paris")));
    v.put("ZoneId", ZoneId.of("America/New_York"));
    v.put("ZoneOffset", ZoneOffset.ofHoursMinutes(5, 30));
    v.put("Duration", Duration.ofMillis(1234567));
    v.put("Period", Period.of(1, 2, 3));
    v.put("Year", Year.of(2026));
    v.put("YearMonth", YearMonth.of(2026, 12));
    v.put("MonthDay", MonthDay.of(12, 3));
    v.put("DayOfWeek", DayOfWeek.THURSDAY);
    v.put("Month", Month.DECEMBER);
    v.put("java.util.Date", new java.util.Date(1_700_000_000_123L));
    v.put("java.sql.Date", java.sql.Date.valueOf("2026-12-03"));
    v.put("java.sql.Time", java.sql.Time.valueOf("07:08:09"));
    java.sql.Timestamp timestamp = java.sql.Timestamp.valueOf("2026-12-03 07:08:09.123456789");
    v.put("java.sql.Timestamp", timestamp);
    v.put("AtomicLong", new AtomicLong(42));
    v.put("AtomicInteger", new AtomicInteger(42));
    v.put("BitSet", BitSet.valueOf(new long[] {5L}));
    v.put("ArrayDeque", new ArrayDeque<>(List.of(1, 2)));
    v.put("ConcurrentHashMap", new ConcurrentHashMap<>(Map.of("a", 1)));
    v.put("CopyOnWriteArrayList", new CopyOnWriteArrayList<>(List.of("a")));
    v.put("TreeMap with reverse order", reversed());
    v.put("TimeZone", java.util.TimeZone.getTimeZone("Europe/Paris"));
    v.put("regex Pattern", java.util.regex.Pattern.compile("a+b", java.util.regex.Pattern.CASE_INSENSITIVE));
    v.put("StringBuilder", new StringBuilder("abc"));
    v.put("Serializable app class holding a UUID", new Lock(5L, UUID.randomUUID(), 3));
    v.put("nested", new HashMap<>(Map.of("k", List.of(new Point(2, "q", List.of()),
        Optional.of(UUID.randomUUID())))));
    return v;
  }

  private static TreeMap<String, Integer> reversed() {
    TreeMap<String, Integer> map = new TreeMap<>(Collections.reverseOrder());
    map.put("a", 1);
    map.put("b", 2);
    return map;
  }

  @TestFactory
  Stream<DynamicTest> copier() {
    KryoCopier copier = new KryoCopier(LOADER);
    return sweep("copy", copier::copy);
  }

  @TestFactory
  Stream<DynamicTest> kryoCodec() {
    return sweepCodec("kryo", () -> new KryoValueCodec(ClassAllowList.of("c", APP), false, LOADER));
  }

  @TestFactory
  Stream<DynamicTest> kryoCodecWithSchemaEvolution() {
    return sweepCodec("kryo+evolution",
        () -> new KryoValueCodec(ClassAllowList.of("c", APP), true, LOADER));
  }

  @TestFactory
  Stream<DynamicTest> jdkCodec() {
    return sweepCodec("jdk", () -> new JdkValueCodec(ClassAllowList.of("c", APP), LOADER));
  }

  private static Stream<DynamicTest> sweepCodec(String name, Supplier<ValueCodec> codecs) {
    ValueCodec writer = codecs.get();
    ValueCodec reader = codecs.get();
    boolean serializableOnly = name.equals("jdk");
    return sweep(name, value -> reader.decode(writer.encode(value)), serializableOnly);
  }

  /** Java serialization refuses what is not Serializable all the way down, and says so. */
  @TestFactory
  Stream<DynamicTest> jdkCodecRefusesWhatIsNotSerializable() {
    ValueCodec codec = new JdkValueCodec(ClassAllowList.of("c", APP), LOADER);
    return Stream.of(Optional.of(1), new HashMap<>(Map.of("k", List.of(Optional.empty()))))
        .map(value -> DynamicTest.dynamicTest(value.toString(), () -> {
          CodecException refused = org.junit.jupiter.api.Assertions.assertThrows(
              CodecException.class, () -> codec.encode(value));
          assertTrue(refused.getMessage().contains("java.io.Serializable"), refused::getMessage);
        }));
  }

  private static Stream<DynamicTest> sweep(String name, Function<Object, Object> roundTrip) {
    return sweep(name, roundTrip, false);
  }

  private static Stream<DynamicTest> sweep(String name, Function<Object, Object> roundTrip,
      boolean serializableOnly) {
    return values().entrySet().stream()
        .filter(e -> !serializableOnly || javaSerializable(e.getValue()))
        .map(e -> DynamicTest.dynamicTest(name + ": " + e.getKey(), () -> {
          Object original = e.getValue();
          Object back = roundTrip.apply(original);
          assertSameValue(original, back);
        }));
  }

  private static boolean javaSerializable(Object value) {
    try (java.io.ObjectOutputStream out =
        new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
      out.writeObject(value);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static void assertSameValue(Object original, Object back) {
    String type = original.getClass().getName();
    if (type.startsWith("java.util.ImmutableCollections$")) {
      // As with Java serialization, List.of's classes may differ for the same content.
      assertTrue(back.getClass().getName().startsWith("java.util.ImmutableCollections$"),
          () -> "immutable still: " + back.getClass());
    } else {
      assertEquals(original.getClass(), back.getClass(), "the class is kept");
    }
    if (type.equals("java.util.Collections$UnmodifiableCollection")
        || type.equals("java.util.Collections$SynchronizedCollection")) {
      // These two do not define equals: compare their content.
      assertEquals(new ArrayList<>((java.util.Collection<?>) original),
          new ArrayList<>((java.util.Collection<?>) back));
    } else if (original.getClass().isArray()) {
      assertTrue(Arrays.deepEquals(new Object[] {original}, new Object[] {back}),
          () -> "array content: " + Arrays.deepToString(new Object[] {back}));
    } else if (original instanceof AtomicLong || original instanceof AtomicInteger
        || original instanceof StringBuilder || original instanceof java.util.regex.Pattern
        || original instanceof ArrayDeque) {
      assertEquals(original.toString(), back.toString());
    } else if (original instanceof java.util.regex.Pattern p) {
      assertEquals(p.flags(), ((java.util.regex.Pattern) back).flags());
    } else {
      assertEquals(original, back);
      if (original instanceof java.sql.Timestamp t) {
        assertEquals(t.getNanos(), ((java.sql.Timestamp) back).getNanos(), "nanoseconds kept");
      }
      if (original instanceof TreeMap<?, ?> t) {
        assertEquals(t.firstKey(), ((TreeMap<?, ?>) back).firstKey(), "the comparator is kept");
      }
    }
  }
}
