package io.github.cachelayer.config;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import javax.cache.configuration.Factory;

/**
 * A factory named in the configuration file: the class is either the thing itself (a loader,
 * writer, expiry policy or weigher with a public no-argument constructor) or a {@link Factory}
 * of it. Checked when the file is read, so a wrong name fails at start-up, not at first use.
 */
final class ClassNameFactory<T> implements Factory<T>, Serializable {
  private static final long serialVersionUID = 1L;

  private final String className;
  private final Class<T> type;
  private final transient WeakReference<ClassLoader> classLoader;

  private ClassNameFactory(String className, Class<T> type, ClassLoader classLoader) {
    this.className = className;
    this.type = type;
    this.classLoader = new WeakReference<>(classLoader);
  }

  /**
   * @param path the configuration path, named in errors
   * @throws ConfigurationException if the class is missing or is neither a {@code type} nor a
   *     Factory
   */
  static <T> ClassNameFactory<T> of(String path, String className, Class<T> type,
      ClassLoader classLoader) {
    Class<?> loaded = load(path, className, classLoader);
    if (!type.isAssignableFrom(loaded) && !Factory.class.isAssignableFrom(loaded)) {
      throw new ConfigurationException(path, "class " + className + " is neither a "
          + type.getName() + " nor a javax.cache.configuration.Factory");
    }
    return new ClassNameFactory<>(className, type, classLoader);
  }

  private static Class<?> load(String path, String className, ClassLoader classLoader) {
    try {
      return Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException(path, "class " + className + " cannot be loaded", e);
    }
  }

  @Override
  public T create() {
    ClassLoader loader = classLoader == null ? null : classLoader.get();
    if (loader == null) {
      loader = Thread.currentThread().getContextClassLoader();
    }
    Object instance;
    try {
      instance = load(className, className, loader).getDeclaredConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new javax.cache.CacheException("Constructor of " + className + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new javax.cache.CacheException(className + " needs a public no-argument constructor", e);
    }
    if (instance instanceof Factory<?> factory && !type.isInstance(instance)) {
      instance = factory.create();
    }
    return type.cast(instance);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassNameFactory<?> other && className.equals(other.className)
        && type.equals(other.type);
  }

  @Override
  public int hashCode() {
    return Objects.hash(className, type);
  }

  @Override
  public String toString() {
    return "Factory[" + className + "]";
  }
}
