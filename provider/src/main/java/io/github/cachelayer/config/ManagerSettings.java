package io.github.cachelayer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one CacheManager's configuration says: where Redis is (if anywhere) and which caches are
 * declared with which settings. Read once, when the manager opens.
 *
 * <p>Sources, most specific first: the file the manager's URI names ({@code classpath:},
 * {@code file:}, {@code jar:}, or a plain resource name), or {@code application.conf} for the
 * default URI; then CacheLayer's {@code reference.conf}; then the environment, which only fills
 * the substitutions the files name (such as {@code REDIS_URL}).
 */
public final class ManagerSettings {
  private static final Set<String> ROOT_KEYS = Set.of("redis", "codec", "default", "caches");
  /** The environment variable, and the manager property, that add to every cache's allow-list. */
  public static final String ALLOW_ENVIRONMENT = "CACHELAYER_CODEC_ALLOW";
  public static final String ALLOW_PROPERTY = "cachelayer.codec.allow";

  private final Config root;
  private final String source;
  private final WeakReference<ClassLoader> classLoader;
  private final CacheLayerConfiguration<Object, Object> defaults;
  private final RedisSettings redis;
  private final List<String> allowedEverywhere;

  private ManagerSettings(Config root, String source, ClassLoader classLoader,
      List<String> allowedElsewhere) {
    this.root = root;
    this.source = source;
    this.classLoader = new WeakReference<>(classLoader);
    ConfigKeys.requireKnown("cachelayer", root.root(), ROOT_KEYS);
    ConfigKeys.requireKnown("cachelayer.redis", root.getObject("redis"), RedisSettings.KEYS);
    ConfigKeys.requireKnown("cachelayer.codec", root.getObject("codec"), Set.of("allow"));
    List<String> allowed = new ArrayList<>(classNames(root, "codec.allow"));
    allowed.addAll(allowedElsewhere);
    this.allowedEverywhere = List.copyOf(allowed);
    this.redis = isRedisConfigured() ? RedisSettings.parse(root.getConfig("redis")) : null;
    this.defaults = CacheSettingsParser.parse("cachelayer.default", root.getConfig("default"),
        classLoader);
    // Parse every declared cache now: a bad file fails when the manager opens, not later.
    for (String name : declaredCacheNames()) {
      if (!declaredCache(name).isStoreByValue() && redis != null) {
        boolean own = root.hasPath("caches." + com.typesafe.config.ConfigUtil.quoteString(name)
            + ".store-by-value");
        throw new ConfigurationException(own ? "cachelayer.caches." + name + ".store-by-value"
            : "cachelayer.default.store-by-value", "store-by-reference is not possible in Redis mode"
                + " (every value is serialized into Redis): set it to true or leave it out");
      }
    }
  }

  /**
   * Reads the configuration for a manager.
   *
   * @param uri the manager's URI
   * @param isDefaultUri whether {@code uri} is the provider's default (reads application.conf)
   * @param environment the process environment (injected for tests)
   * @throws ConfigurationException if the named file is missing or invalid
   */
  public static ManagerSettings load(URI uri, boolean isDefaultUri, ClassLoader classLoader,
      Map<String, String> environment) {
    return load(uri, isDefaultUri, classLoader, environment, new Properties());
  }

  /**
   * {@link #load(URI, boolean, ClassLoader, Map)} for a manager opened with {@code properties};
   * their {@value #ALLOW_PROPERTY}, like the environment's {@value #ALLOW_ENVIRONMENT}, adds to
   * the file's {@code cachelayer.codec.allow} (comma-separated class names or patterns).
   */
  public static ManagerSettings load(URI uri, boolean isDefaultUri, ClassLoader classLoader,
      Map<String, String> environment, Properties properties) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(classLoader, "classLoader");
    ConfigParseOptions options = ConfigParseOptions.defaults().setClassLoader(classLoader);
    String source;
    Config file;
    if (isDefaultUri) {
      source = "application.conf";
      file = defaultFile(classLoader, options);
    } else {
      source = uri.toString();
      file = parseUri(uri, classLoader, options);
    }
    try {
      Config reference = ConfigFactory.parseResources(classLoader, "reference.conf", options);
      Config env = ConfigFactory.parseMap(environment.entrySet().stream()
          .filter(e -> e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*"))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "environment");
      Config resolved = ConfigFactory.parseMap(ManagerOverrides.settings(properties),
              "manager overrides")
          .withFallback(ConfigFactory.parseProperties(System.getProperties()))
          .withFallback(file)
          .withFallback(reference)
          .withFallback(env)
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
      List<String> allowedElsewhere = new ArrayList<>(split(environment.get(ALLOW_ENVIRONMENT)));
      allowedElsewhere.addAll(split(properties.getProperty(ALLOW_PROPERTY)));
      return new ManagerSettings(resolved.getConfig("cachelayer"), source, classLoader,
          allowedElsewhere);
    } catch (ConfigException e) {
      throw ConfigurationException.ofSource("Invalid CacheLayer configuration in " + source
          + ": " + e.getMessage(), e);
    }
  }

  private static Config parseUri(URI uri, ClassLoader classLoader, ConfigParseOptions options) {
    String scheme = uri.getScheme();
    try {
      if ("classpath".equals(scheme)) {
        String path = uri.getSchemeSpecificPart();
        path = path.startsWith("/") ? path.substring(1) : path;
        URL resource = classLoader.getResource(path);
        if (resource == null) {
          throw ConfigurationException.ofSource(
              "CacheLayer configuration file not found: " + uri, null);
        }
        return ConfigFactory.parseURL(resource, options.setAllowMissing(false));
      }
      if ("file".equals(scheme)) {
        Path path = Path.of(uri);
        if (!Files.isRegularFile(path)) {
          throw ConfigurationException.ofSource(
              "CacheLayer configuration file not found: " + uri, null);
        }
        return ConfigFactory.parseFile(path.toFile(), options.setAllowMissing(false));
      }
      if ("jar".equals(scheme)) {
        URL url = uri.toURL();
        try (InputStream probe = url.openStream()) {
          probe.read();
        } catch (IOException e) {
          throw ConfigurationException.ofSource(
              "CacheLayer configuration file not found: " + uri, e);
        }
        return ConfigFactory.parseURL(url, options.setAllowMissing(false));
      }
      if (scheme == null && classLoader.getResource(uri.toString()) != null) {
        return ConfigFactory.parseURL(classLoader.getResource(uri.toString()),
            options.setAllowMissing(false));
      }
      // Any other URI only names the manager (and its Redis namespace): defaults apply.
      return defaultFile(classLoader, options);
    } catch (ConfigException e) {
      throw ConfigurationException.ofSource("Invalid CacheLayer configuration in " + uri
          + ": " + e.getMessage(), e);
    } catch (IOException | IllegalArgumentException e) {
      throw ConfigurationException.ofSource("Cannot read the CacheLayer configuration " + uri, e);
    }
  }

  /**
   * {@code application.conf} (or {@code application.json}) on the class path, empty when there is
   * none. Never {@code application.properties}: that file is Spring Boot's (Quarkus's,
   * Micronaut's), whose {@code cachelayer.*} keys (the starter's rate limits and sessions) are not
   * this manager's.
   */
  private static Config defaultFile(ClassLoader classLoader, ConfigParseOptions options) {
    return ConfigFactory.parseResources(classLoader, "application.conf", options)
        .withFallback(ConfigFactory.parseResources(classLoader, "application.json", options));
  }

  /** A list of class names or patterns: a HOCON list, or one comma-separated string. */
  private static List<String> classNames(Config root, String path) {
    try {
      return root.getValue(path).valueType() == com.typesafe.config.ConfigValueType.STRING
          ? split(root.getString(path)) : root.getStringList(path);
    } catch (ConfigException e) {
      throw new ConfigurationException("cachelayer." + path,
          "must be a list of class names or patterns (\"com.example.*\")", e);
    }
  }

  private static List<String> split(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::trim)
        .filter(name -> !name.isEmpty()).toList();
  }

  /**
   * Classes or patterns every cache of this manager may read back from Redis, beyond its own
   * {@code codec.allow}: {@code cachelayer.codec.allow}, {@value #ALLOW_ENVIRONMENT} and the
   * manager property {@value #ALLOW_PROPERTY} together.
   */
  public List<String> allowedEverywhere() {
    return allowedEverywhere;
  }

  /** Where the configuration came from, for log lines and errors. */
  public String source() {
    return source;
  }

  /**
   * Whether Redis is configured at all: a URL, a host, cluster nodes or sentinel nodes, from the
   * file, system properties or the environment.
   */
  public boolean isRedisConfigured() {
    return hasText("redis.url") || hasText("redis.host") || hasNodes("redis.cluster-nodes")
        || hasNodes("redis.sentinel.nodes");
  }

  private boolean hasNodes(String path) {
    try {
      return root.hasPath(path) && !root.getStringList(path).isEmpty();
    } catch (ConfigException e) {
      throw new ConfigurationException("cachelayer." + path, "must be a list of host:port", e);
    }
  }

  private boolean hasText(String path) {
    return root.hasPath(path) && !root.getString(path).isBlank();
  }

  /** How to reach Redis, or null in fallback mode. */
  public RedisSettings redis() {
    return redis;
  }

  public Set<String> declaredCacheNames() {
    return new TreeSet<>(root.getObject("caches").keySet());
  }

  /** The configuration of a cache declared in the file, or null if it is not declared. */
  @SuppressWarnings("unchecked")
  public <K, V> CacheLayerConfiguration<K, V> declaredCache(String name) {
    String quoted = com.typesafe.config.ConfigUtil.quoteString(name);
    if (!root.getObject("caches").containsKey(name)) {
      return null;
    }
    Config settings;
    try {
      settings = root.getConfig("caches." + quoted).withFallback(root.getConfig("default"));
    } catch (ConfigException.WrongType e) {
      throw new ConfigurationException("cachelayer.caches." + name, "must be an object of cache settings");
    }
    return (CacheLayerConfiguration<K, V>) CacheSettingsParser.parse("cachelayer.caches." + name,
        settings, classLoader());
  }

  private ClassLoader classLoader() {
    ClassLoader loader = classLoader.get();
    if (loader == null) {
      throw new IllegalStateException("The class loader of this configuration was collected");
    }
    return loader;
  }

  /** The settings a cache created in code starts from for what the standard API does not say. */
  public CacheLayerConfiguration<Object, Object> defaults() {
    return defaults;
  }

  @Override
  public String toString() {
    // Never the values: they may hold a password.
    return "ManagerSettings[source=" + source + ", redis=" + isRedisConfigured()
        + ", caches=" + declaredCacheNames() + "]";
  }
}
