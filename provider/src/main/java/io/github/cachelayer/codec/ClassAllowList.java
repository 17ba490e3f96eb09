package io.github.cachelayer.codec;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The classes a cache may decode from Redis: exact names, or prefixes given with a trailing
 * {@code *} ({@code com.example.*}: that package and its subpackages; {@code com.example.Outer$*}:
 * its nested classes), and every class the cache itself encoded in this JVM (what a cache wrote is
 * not arbitrary; bytes someone else put into Redis may be). Always allowed: enums (decoding one
 * looks a constant up, it makes nothing), the value types of the JDK listed in
 * {@link #JDK_DEFAULTS}, and the values Spring's and Hibernate's JCache support store themselves;
 * arrays are allowed when their component type is.
 *
 * <p>The JDK defaults name value types one by one rather than whole packages: {@code java.net.URL}
 * resolves its host when hashed, so a map keyed by URLs makes its reader look up any host the
 * writer chose; reflection, proxies, class loaders and the JDK's internals stay out for the same
 * reason (they are what deserialization gadgets are built from).
 */
public final class ClassAllowList {
  /** Classes every cache may hold: plain data types of the JDK and the containers of them. */
  static final List<String> JDK_DEFAULTS = List.of(
      // Text, numbers and time.
      "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
      "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
      "java.lang.Double", "java.lang.Number", "java.lang.Enum", "java.lang.Object",
      "java.lang.StringBuilder", "java.lang.StringBuffer", "java.math.BigDecimal",
      "java.math.BigInteger", "java.math.RoundingMode", "java.time.*", "java.sql.Date",
      "java.sql.Time", "java.sql.Timestamp", "java.util.Date", "java.util.Calendar",
      "java.util.GregorianCalendar", "java.util.TimeZone", "java.util.SimpleTimeZone",
      "sun.util.calendar.ZoneInfo", "java.util.UUID", "java.util.Locale", "java.util.Currency",
      "java.net.URI", "java.util.regex.Pattern", "java.util.BitSet",
      "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong",
      "java.util.OptionalDouble", "java.util.concurrent.atomic.AtomicBoolean",
      "java.util.concurrent.atomic.AtomicInteger", "java.util.concurrent.atomic.AtomicLong",
      // Interfaces (never instantiated) that arrays are declared with, as in Serializable[].
      "java.io.Serializable", "java.lang.Comparable", "java.lang.CharSequence",
      // Collections: the plain ones, their immutable, unmodifiable, synchronized, empty and
      // singleton forms, and the comparators a sorted one is made with.
      "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.Vector",
      "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Hashtable",
      "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumMap",
      "java.util.EnumSet", "java.util.RegularEnumSet", "java.util.JumboEnumSet",
      "java.util.EnumSet$SerializationProxy",
      "java.util.Map$Entry", "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
      "java.util.KeyValueHolder", "java.util.ImmutableCollections$*", "java.util.CollSer",
      "java.util.Collections$*", "java.util.Arrays$ArrayList",
      "java.util.Comparators$NaturalOrderComparator",
      "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
      // What a Segment (ConcurrentHashMap's Java serialized form) is made of.
      "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantLock$*",
      "java.util.concurrent.locks.AbstractQueuedSynchronizer",
      "java.util.concurrent.locks.AbstractOwnableSynchronizer",
      "java.util.concurrent.ConcurrentSkipListMap",
      "java.util.concurrent.ConcurrentSkipListSet", "java.util.concurrent.CopyOnWriteArrayList",
      "java.util.concurrent.CopyOnWriteArraySet",
      // What the JCache integrations CacheLayer promises to work with store by themselves:
      // Spring's marker for a cached null, and Hibernate's second-level cache entries and keys.
      "org.springframework.cache.support.NullValue", "org.hibernate.cache.*",
      // CacheLayer's own helpers' values (plain data; a session's attributes are checked apart).
      "io.github.cachelayer.session.Session", "io.github.cachelayer.session.SessionIndex",
      "io.github.cachelayer.ratelimit.LimiterState");

  private final Set<String> classes;
  private final List<String> packages;
  private final String cacheName;
  /** Classes this cache itself encoded in this JVM: reading them back is not arbitrary. */
  private final Set<Class<?>> written = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ClassAllowList(String cacheName, Set<String> classes, List<String> packages) {
    this.cacheName = cacheName;
    this.classes = classes;
    this.packages = packages;
  }

  /** The JDK defaults plus {@code entries}. */
  public static ClassAllowList of(String cacheName, List<String> entries) {
    Objects.requireNonNull(entries, "entries");
    java.util.HashSet<String> classes = new java.util.HashSet<>();
    java.util.ArrayList<String> packages = new java.util.ArrayList<>();
    for (String entry : concat(JDK_DEFAULTS, entries)) {
      if (entry.endsWith("*")) {
        packages.add(entry.substring(0, entry.length() - 1));
      } else {
        classes.add(entry);
      }
    }
    return new ClassAllowList(cacheName, Set.copyOf(classes), List.copyOf(packages));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Records a class this cache encoded; it may be decoded from now on. */
  public void wrote(Class<?> type) {
    written.add(type);
  }

  public boolean allows(Class<?> type) {
    if (written.contains(type)) {
      return true;
    }
    Class<?> component = type;
    while (component.isArray()) {
      component = component.getComponentType();
    }
    if (component.isPrimitive() || Enum.class.isAssignableFrom(component)) {
      return true;
    }
    String name = component.getName();
    if (classes.contains(name)) {
      return true;
    }
    for (String prefix : packages) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The CodecException that refused a class, if one is in {@code failure}'s causes. */
  static CodecException refusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CodecException refused) {
        return refused;
      }
    }
    return null;
  }

  /** @throws CodecException naming the class and how to allow it */
  public void check(Class<?> type) {
    if (!allows(type)) {
      throw new CodecException("Class " + type.getName() + " is not allowed in cache '"
          + cacheName + "'; add it (or its package, as \"" + type.getPackageName()
          + ".*\") to CACHELAYER_CODEC_ALLOW or cachelayer.codec.allow (every cache), or to "
          + "cachelayer.caches." + cacheName + ".codec.allow");
    }
  }
}
