package io.github.cachelayer.credentials;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the provider {@code cachelayer.redis.credentials.provider} names: a {@link
 * RedisCredentialsProvider.Factory} registered under that name, or a class. Not part of the API.
 */
public final class CredentialsProviders {
  private CredentialsProviders() {}

  /**
   * @param name a factory's name, or the class name of a factory or a provider
   * @param options the provider's own keys
   * @throws IllegalArgumentException if nothing goes by that name, or the factory refuses the
   *     options
   */
  public static RedisCredentialsProvider load(String name, Map<String, String> options,
      ClassLoader classLoader) {
    List<String> known = new ArrayList<>();
    for (RedisCredentialsProvider.Factory factory
        : ServiceLoader.load(RedisCredentialsProvider.Factory.class, classLoader)) {
      if (factory.name().equals(name)) {
        return factory.create(options);
      }
      known.add(factory.name());
    }
    Class<?> type;
    try {
      type = Class.forName(name, true, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no credentials provider is named '" + name
          + "' (registered: " + new TreeSet<>(known) + "), and no class either; a module such "
          + "as cachelayer-entra-id registers its name when it is on the class path");
    }
    Object made = instantiate(type);
    if (made instanceof RedisCredentialsProvider.Factory factory) {
      return factory.create(options);
    }
    if (made instanceof RedisCredentialsProvider provider) {
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("the class " + name + " takes no options, but "
            + "these are set: " + options.keySet() + " (a Factory takes options)");
      }
      return provider;
    }
    throw new IllegalArgumentException("the class " + name + " is neither a "
        + "RedisCredentialsProvider nor a RedisCredentialsProvider.Factory");
  }

  private static Object instantiate(Class<?> type) {
    try {
      return type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("the class " + type.getName() + " has no public "
          + "constructor without arguments");
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("the constructor of " + type.getName() + " failed: "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot make a " + type.getName() + ": " + e, e);
    }
  }
}
