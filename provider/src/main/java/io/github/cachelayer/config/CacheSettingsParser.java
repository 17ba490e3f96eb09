package io.github.cachelayer.config;

import com.github.benmanes.caffeine.cache.Weigher;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/** Reads one cache's settings (already merged over `default`) into a configuration. */
final class CacheSettingsParser {
  static final Set<String> KEYS = Set.of("store-by-value", "statistics", "management",
      "read-through", "write-through", "loader", "writer", "key-type", "value-type", "expiry",
      "maximum");
  private static final Set<String> EXPIRY_KEYS = Set.of("policy", "duration");
  private static final Set<String> MAXIMUM_KEYS = Set.of("size", "weight", "weigher");

  private CacheSettingsParser() {}

  /**
   * @param path where the settings stand in the file, for error messages
   * @throws ConfigurationException naming the key that is unknown or has a bad value
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, V> CacheLayerConfiguration<K, V> parse(String path, Config settings,
      ClassLoader classLoader) {
    ConfigKeys.requireKnown(path, settings.root(), KEYS);
    ConfigKeys.requireKnown(path + ".expiry", settings.getObject("expiry"), EXPIRY_KEYS);
    ConfigKeys.requireKnown(path + ".maximum", settings.getObject("maximum"), MAXIMUM_KEYS);
    try {
      CacheLayerConfiguration<K, V> configuration = new CacheLayerConfiguration<>();
      Class keyType = loadType(path + ".key-type", settings.getString("key-type"), classLoader);
      Class valueType = loadType(path + ".value-type", settings.getString("value-type"), classLoader);
      configuration.setTypes(keyType, valueType);
      configuration.setStoreByValue(settings.getBoolean("store-by-value"));
      configuration.setStatisticsEnabled(settings.getBoolean("statistics"));
      configuration.setManagementEnabled(settings.getBoolean("management"));
      configuration.setReadThrough(settings.getBoolean("read-through"));
      configuration.setWriteThrough(settings.getBoolean("write-through"));
      if (settings.hasPath("loader")) {
        configuration.setCacheLoaderFactory((Factory) ClassNameFactory.of(path + ".loader",
            settings.getString("loader"), CacheLoader.class, classLoader));
      } else if (configuration.isReadThrough()) {
        throw new ConfigurationException(path + ".read-through", "read-through needs a loader");
      }
      if (settings.hasPath("writer")) {
        configuration.setCacheWriterFactory((Factory) ClassNameFactory.of(path + ".writer",
            settings.getString("writer"), CacheWriter.class, classLoader));
      } else if (configuration.isWriteThrough()) {
        throw new ConfigurationException(path + ".write-through", "write-through needs a writer");
      }
      configuration.setExpiryPolicyFactory(expiry(path + ".expiry", settings.getConfig("expiry"),
          classLoader));
      readMaximum(path + ".maximum", settings.getConfig("maximum"), configuration, classLoader);
      return configuration;
    } catch (ConfigException e) {
      throw new ConfigurationException(path, e.getMessage(), e);
    }
  }

  private static Class<?> loadType(String path, String className, ClassLoader classLoader) {
    try {
      return Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException(path, "class " + className + " cannot be loaded", e);
    }
  }

  private static Factory<? extends ExpiryPolicy> expiry(String path, Config expiry,
      ClassLoader classLoader) {
    String policy = expiry.getString("policy");
    if (policy.equals("eternal")) {
      if (expiry.hasPath("duration")) {
        throw new ConfigurationException(path + ".duration", "an eternal policy takes no duration");
      }
      return EternalExpiryPolicy.factoryOf();
    }
    boolean specPolicy = Set.of("created", "accessed", "modified", "touched").contains(policy);
    if (!specPolicy) {
      if (!policy.contains(".")) {
        throw new ConfigurationException(path + ".policy", "unknown policy '" + policy
            + "'; use eternal, created, accessed, modified, touched or a class name");
      }
      return ClassNameFactory.of(path + ".policy", policy, ExpiryPolicy.class, classLoader);
    }
    if (!expiry.hasPath("duration")) {
      throw new ConfigurationException(path + ".duration", "the " + policy
          + " policy needs a duration, such as \"10m\"");
    }
    java.time.Duration value = expiry.getDuration("duration");
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(path + ".duration", "must be positive, was " + value);
    }
    Duration duration = new Duration(TimeUnit.MILLISECONDS, value.toMillis());
    return switch (policy) {
      case "created" -> CreatedExpiryPolicy.factoryOf(duration);
      case "accessed" -> AccessedExpiryPolicy.factoryOf(duration);
      case "modified" -> ModifiedExpiryPolicy.factoryOf(duration);
      default -> TouchedExpiryPolicy.factoryOf(duration);
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void readMaximum(String path, Config maximum,
      CacheLayerConfiguration<?, ?> configuration, ClassLoader classLoader) {
    boolean size = maximum.hasPath("size");
    boolean weight = maximum.hasPath("weight");
    if (size && weight) {
      throw new ConfigurationException(path, "set size or weight, not both");
    }
    if (size) {
      long value = maximum.getLong("size");
      if (value < 0) {
        throw new ConfigurationException(path + ".size", "must be >= 0, was " + value);
      }
      configuration.setMaximumSize(value);
    }
    if (weight) {
      long value = maximum.getLong("weight");
      if (value < 0) {
        throw new ConfigurationException(path + ".weight", "must be >= 0, was " + value);
      }
      if (!maximum.hasPath("weigher")) {
        throw new ConfigurationException(path + ".weigher", "a maximum weight needs a weigher");
      }
      Factory weigher = ClassNameFactory.of(path + ".weigher", maximum.getString("weigher"),
          Weigher.class, classLoader);
      ((CacheLayerConfiguration) configuration).setMaximumWeight(value, weigher);
    } else if (maximum.hasPath("weigher")) {
      throw new ConfigurationException(path + ".weigher", "a weigher needs a maximum weight");
    }
  }
}
