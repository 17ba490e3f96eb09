package io.github.cachelayer.config;

import com.github.benmanes.caffeine.cache.Weigher;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
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
      "maximum", "codec", "on-outage", "encryption", "near-cache");
  private static final Set<String> NEAR_CACHE_KEYS = Set.of("maximum", "ttl");
  private static final Set<String> ENCRYPTION_KEYS = Set.of("key-id", "keys");
  private static final Set<String> CODEC_KEYS =
      Set.of("type", "allow", "schema-evolution", "on-decode-failure", "max-value-size");
  private static final Set<String> EXPIRY_KEYS = Set.of("policy", "duration");
  private static final Set<String> MAXIMUM_KEYS = Set.of("size", "weight", "weigher");
  private static final Set<String> SPEC_POLICIES =
      Set.of("created", "accessed", "modified", "touched");

  private CacheSettingsParser() {}

  /**
   * @param path where the settings stand in the file, for error messages
   * @throws ConfigurationException naming the key that is unknown or has a bad value
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, V> CacheLayerConfiguration<K, V> parse(String path, Config settings,
      ClassLoader classLoader) {
    ConfigKeys.requireKnown(path, settings.root(), KEYS);
    ConfigKeys.requireKnown(path + ".expiry", object(settings, path, "expiry"), EXPIRY_KEYS);
    ConfigKeys.requireKnown(path + ".maximum", object(settings, path, "maximum"), MAXIMUM_KEYS);
    ConfigKeys.requireKnown(path + ".codec", object(settings, path, "codec"), CODEC_KEYS);
    ConfigKeys.requireKnown(path + ".encryption", object(settings, path, "encryption"),
        ENCRYPTION_KEYS);
    if (settings.hasPath("near-cache.protocol")) {
      // One invalidation connection per master serves every near cache of a manager.
      throw new ConfigurationException(path + ".near-cache.protocol", "is one setting for the "
          + "whole manager: set cachelayer.redis.near-cache.protocol instead");
    }
    ConfigKeys.requireKnown(path + ".near-cache", object(settings, path, "near-cache"),
        NEAR_CACHE_KEYS);
    ConfigKeys.requireKnown(path + ".near-cache.maximum",
        object(settings, path, "near-cache.maximum"), Set.of("size"));
    SettingsReader read = new SettingsReader(settings, path);
    CacheLayerConfiguration<K, V> configuration = new CacheLayerConfiguration<>();
    Class keyType = loadType(read.path("key-type"), read.text("key-type"), classLoader);
    Class valueType = loadType(read.path("value-type"), read.text("value-type"), classLoader);
    configuration.setTypes(keyType, valueType);
    configuration.setStoreByValue(read.bool("store-by-value"));
    configuration.setStatisticsEnabled(read.bool("statistics"));
    configuration.setManagementEnabled(read.bool("management"));
    configuration.setReadThrough(read.bool("read-through"));
    configuration.setWriteThrough(read.bool("write-through"));
    if (read.has("loader")) {
      configuration.setCacheLoaderFactory((Factory) ClassNameFactory.of(read.path("loader"),
          read.text("loader"), CacheLoader.class, classLoader));
    } else if (configuration.isReadThrough()) {
      throw new ConfigurationException(read.path("read-through"), "read-through needs a loader");
    }
    if (read.has("writer")) {
      configuration.setCacheWriterFactory((Factory) ClassNameFactory.of(read.path("writer"),
          read.text("writer"), CacheWriter.class, classLoader));
    } else if (configuration.isWriteThrough()) {
      throw new ConfigurationException(read.path("write-through"), "write-through needs a writer");
    }
    configuration.setExpiryPolicyFactory(expiry(read, classLoader));
    readMaximum(read, configuration, classLoader);
    readCodec(read, settings, configuration);
    readEncryption(read, settings, configuration);
    readNearCache(read, configuration);
    if (read.has("on-outage")) {
      configuration.setOutagePolicy(
          OutagePolicy.parse(read.path("on-outage"), read.text("on-outage")));
    }
    return configuration;
  }

  private static ConfigObject object(Config settings, String path, String key) {
    try {
      return settings.getObject(key);
    } catch (ConfigException e) {
      throw new ConfigurationException(path + "." + key, "must be an object", e);
    }
  }

  private static Class<?> loadType(String path, String className, ClassLoader classLoader) {
    try {
      return Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException(path, "class " + className + " cannot be loaded", e);
    }
  }

  private static Factory<? extends ExpiryPolicy> expiry(SettingsReader read,
      ClassLoader classLoader) {
    String policy = read.text("expiry.policy");
    if (policy.equals("eternal")) {
      if (read.has("expiry.duration")) {
        throw new ConfigurationException(read.path("expiry.duration"),
            "an eternal policy takes no duration");
      }
      return EternalExpiryPolicy.factoryOf();
    }
    if (!SPEC_POLICIES.contains(policy)) {
      if (!policy.contains(".")) {
        throw new ConfigurationException(read.path("expiry.policy"), "unknown policy '" + policy
            + "'; use eternal, created, accessed, modified, touched or a class name");
      }
      return ClassNameFactory.of(read.path("expiry.policy"), policy, ExpiryPolicy.class,
          classLoader);
    }
    if (!read.has("expiry.duration")) {
      throw new ConfigurationException(read.path("expiry.duration"), "the " + policy
          + " policy needs a duration, such as \"10m\"");
    }
    java.time.Duration value = read.duration("expiry.duration");
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(read.path("expiry.duration"), "must be positive");
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
  private static void readMaximum(SettingsReader read,
      CacheLayerConfiguration<?, ?> configuration, ClassLoader classLoader) {
    boolean size = read.has("maximum.size");
    boolean weight = read.has("maximum.weight");
    if (size && weight) {
      throw new ConfigurationException(read.path("maximum"), "set size or weight, not both");
    }
    if (size) {
      configuration.setMaximumSize(nonNegative(read, "maximum.size"));
    }
    if (weight) {
      long value = nonNegative(read, "maximum.weight");
      if (!read.has("maximum.weigher")) {
        throw new ConfigurationException(read.path("maximum.weigher"),
            "a maximum weight needs a weigher");
      }
      Factory weigher = ClassNameFactory.of(read.path("maximum.weigher"),
          read.text("maximum.weigher"), Weigher.class, classLoader);
      ((CacheLayerConfiguration) configuration).setMaximumWeight(value, weigher);
    } else if (read.has("maximum.weigher")) {
      throw new ConfigurationException(read.path("maximum.weigher"),
          "a weigher needs a maximum weight");
    }
  }

  /** On when a maximum size is set; the ttl has a default. */
  private static void readNearCache(SettingsReader read,
      CacheLayerConfiguration<?, ?> configuration) {
    if (!read.has("near-cache.maximum.size")) {
      return;
    }
    long size = nonNegative(read, "near-cache.maximum.size");
    if (size == 0) {
      throw new ConfigurationException(read.path("near-cache.maximum.size"), "must be positive");
    }
    java.time.Duration ttl = NearCacheSettings.DEFAULT_TTL;
    if (read.has("near-cache.ttl")) {
      ttl = read.duration("near-cache.ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new ConfigurationException(read.path("near-cache.ttl"), "must be positive");
      }
    }
    configuration.setNearCache(new NearCacheSettings(size, ttl));
  }

  private static void readCodec(SettingsReader read, Config settings,
      CacheLayerConfiguration<?, ?> configuration) {
    configuration.setCodecType(switch (read.text("codec.type")) {
      case "kryo" -> CacheLayerConfiguration.CodecType.KRYO;
      case "jdk" -> CacheLayerConfiguration.CodecType.JDK;
      case "json" -> CacheLayerConfiguration.CodecType.JSON;
      default -> throw new ConfigurationException(read.path("codec.type"),
          "must be kryo, jdk or json");
    });
    try {
      configuration.setAllowedClasses(settings.getStringList("codec.allow"));
    } catch (ConfigException e) {
      throw new ConfigurationException(read.path("codec.allow"),
          "must be a list of class names or packages such as \"com.example.*\"", e);
    }
    configuration.setSchemaEvolution(read.bool("codec.schema-evolution"));
    configuration.setDecodeFailure(switch (read.text("codec.on-decode-failure")) {
      case "miss" -> CacheLayerConfiguration.DecodeFailure.MISS;
      case "throw" -> CacheLayerConfiguration.DecodeFailure.THROW;
      default -> throw new ConfigurationException(read.path("codec.on-decode-failure"),
          "must be miss or throw");
    });
    if (read.has("codec.max-value-size")) {
      long limit = read.bytes("codec.max-value-size");
      if (limit <= 0) {
        throw new ConfigurationException(read.path("codec.max-value-size"), "must be positive");
      }
      configuration.setMaxValueSize(limit);
    }
  }

  /** Keys are Base64 text, usually from the environment; never echoed in an error. */
  private static void readEncryption(SettingsReader read, Config settings,
      CacheLayerConfiguration<?, ?> configuration) {
    if (!read.has("encryption.key-id")) {
      return;
    }
    String keyId = read.text("encryption.key-id");
    java.util.Map<String, byte[]> keys = new java.util.HashMap<>();
    ConfigObject configured = object(settings, read.path("encryption"), "encryption.keys");
    for (String id : configured.keySet()) {
      String path = "encryption.keys." + com.typesafe.config.ConfigUtil.quoteString(id);
      byte[] key;
      try {
        key = java.util.Base64.getDecoder().decode(read.text(path).trim());
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(read.path("encryption.keys." + id),
            "must be a Base64 AES key");
      }
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new ConfigurationException(read.path("encryption.keys." + id),
            "must be a 128, 192 or 256-bit AES key, not " + key.length * 8 + " bits");
      }
      keys.put(id, key);
    }
    if (!keys.containsKey(keyId)) {
      throw new ConfigurationException(read.path("encryption.key-id"),
          "names no key under encryption.keys (is its environment variable set?)");
    }
    configuration.setEncryption(keyId, keys);
  }

  private static long nonNegative(SettingsReader read, String key) {
    long value = read.wholeNumber(key);
    if (value < 0) {
      throw new ConfigurationException(read.path(key), "must be >= 0");
    }
    return value;
  }
}
