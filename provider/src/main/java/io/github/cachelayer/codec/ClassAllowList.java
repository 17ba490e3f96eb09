package io.github.cachelayer.codec;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The classes a cache may decode from Redis: exact names, or packages given as {@code com.example.*}
 * (that package and its subpackages), and every class the cache itself encoded in this JVM (what
 * a cache wrote is not arbitrary; bytes someone else put into Redis may be). The JDK's value types
 * are always allowed, and so are the
 * values Spring's and Hibernate's JCache support store themselves (Spring's {@code NullValue},
 * Hibernate's {@code org.hibernate.cache} entries and keys); arrays are allowed when their
 * component type is.
 */
public final class ClassAllowList {
  /** Packages and classes every cache may hold: plain data types of the JDK. */
  static final List<String> JDK_DEFAULTS = List.of("java.lang.String", "java.lang.Boolean",
      "java.lang.Byte", "java.lang.Short", "java.lang.Character", "java.lang.Integer",
      "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
      "java.lang.Enum", "java.lang.Object", "java.math.*", "java.time.*", "java.util.*",
      // Interfaces (never instantiated) that arrays are declared with, as in Serializable[].
      "java.io.Serializable", "java.lang.Comparable", "java.lang.CharSequence",
      "java.net.URI", "java.net.URL", "java.net.InetAddress", "java.net.Inet4Address",
      "java.net.Inet6Address",
      // What the JCache integrations CacheLayer promises to work with store by themselves:
      // Spring's marker for a cached null, and Hibernate's second-level cache entries and keys.
      "org.springframework.cache.support.NullValue", "org.hibernate.cache.*");

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
      if (entry.endsWith(".*")) {
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
    if (component.isPrimitive()) {
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

  /**
   * A filter for Java deserialization that refuses every class not allowed: for the JDK codec, and
   * for the classes Kryo hands to Java serialization (those with readResolve or writeReplace).
   */
  public java.io.ObjectInputFilter asFilter() {
    return info -> {
      Class<?> type = info.serialClass();
      if (type == null) {
        return java.io.ObjectInputFilter.Status.UNDECIDED;
      }
      return allows(type) ? java.io.ObjectInputFilter.Status.ALLOWED
          : java.io.ObjectInputFilter.Status.REJECTED;
    };
  }

  /** @throws CodecException naming the class and how to allow it */
  public void check(Class<?> type) {
    if (!allows(type)) {
      throw new CodecException("Class " + type.getName() + " is not allowed in cache '"
          + cacheName + "'; add it (or its package, as \"" + type.getPackageName()
          + ".*\") to cachelayer.caches." + cacheName + ".codec.allow");
    }
  }
}
