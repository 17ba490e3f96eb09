package io.github.cachelayer.benchmarks;

import java.io.Serializable;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/** The two kinds of value measured: a 100-character string and a 5-field POJO. */
final class Values {
  static final String STRING_100 = "x".repeat(90) + "0123456789";

  private Values() {}

  /**
   * A new cache {@code name} of strings (one left by an earlier run is destroyed first) holding
   * keys "k0" to "k{keys - 1}", each {@link #STRING_100}.
   */
  static Cache<String, String> freshStrings(CacheManager manager, String name, int keys) {
    if (manager.getCache(name) != null) {
      manager.destroyCache(name);
    }
    Cache<String, String> cache = manager.createCache(name,
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    for (int i = 0; i < keys; i++) {
      cache.put("k" + i, STRING_100);
    }
    return cache;
  }

  static Object of(String kind, int i) {
    return switch (kind) {
      case "string" -> STRING_100;
      case "pojo" -> new Pojo(i, "user-" + i, "user" + i + "@example.com", 30 + i % 50, true);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** A 5-field value object, Serializable so Caffeine's JCache can copy it. */
  public static final class Pojo implements Serializable {
    private static final long serialVersionUID = 1L;
    public long id;
    public String name;
    public String email;
    public int age;
    public boolean active;

    public Pojo() {}

    Pojo(long id, String name, String email, int age, boolean active) {
      this.id = id;
      this.name = name;
      this.email = email;
      this.age = age;
      this.active = active;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pojo p && id == p.id && age == p.age && active == p.active
          && Objects.equals(name, p.name) && Objects.equals(email, p.email);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(id);
    }
  }
}
