package io.github.cachelayer.redis;

import io.github.cachelayer.codec.ClassAllowList;
import io.github.cachelayer.codec.EncryptingCodec;
import io.github.cachelayer.codec.JdkValueCodec;
import io.github.cachelayer.codec.JsonValueCodec;
import io.github.cachelayer.codec.KryoValueCodec;
import io.github.cachelayer.codec.SizeLimitedCodec;
import io.github.cachelayer.codec.ValueCodec;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.redis.helpers.HelperRecords;
import io.github.cachelayer.redis.store.RedisStoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * The codec chain of one Redis-mode cache: its codec (Kryo, JDK or JSON) on its class allow-list,
 * bounded by its {@code codec.max-value-size}; for values, then the helpers' records (so the
 * scripts can read sessions and limits) or, when the cache encrypts, encryption instead.
 *
 * @param keys never encrypted: a key names its entry, so the same key must give the same bytes
 */
record CacheCodecs(ValueCodec keys, ValueCodec values) {
  /** What the manager adds to every cache's allow-list, and where classes are loaded from. */
  record Sources(List<String> allowedEverywhere, Supplier<ClassLoader> classLoader) {}

  static CacheCodecs of(String cacheName, CacheLayerConfiguration<?, ?> configuration,
      Sources sources) {
    ValueCodec plain = codec(cacheName, configuration, configuration.getValueType(), sources);
    ValueCodec keys = configuration.getCodecType() == CacheLayerConfiguration.CodecType.JSON
        ? codec(cacheName, configuration, configuration.getKeyType(), sources) : plain;
    ValueCodec values = configuration.getEncryptionKeyId() == null ? new HelperRecords(plain)
        : new EncryptingCodec(plain, configuration.getEncryptionKeyId(),
            configuration.getEncryptionKeys());
    return new CacheCodecs(keys, values);
  }

  /** The helpers' records, when values are stored as the scripts read them (not encrypted). */
  HelperRecords helperRecords() {
    return values instanceof HelperRecords records ? records : null;
  }

  /** The cache's {@code codec.max-value-size}, or the default bound when it sets none. */
  static long maxValueSize(CacheLayerConfiguration<?, ?> configuration) {
    return configuration.getMaxValueSize() > 0 ? configuration.getMaxValueSize()
        : RedisStoreOptions.DEFAULT_MAX_VALUE_SIZE;
  }

  /** @param jsonType for the json codec, the declared type it reads and writes */
  private static ValueCodec codec(String cacheName, CacheLayerConfiguration<?, ?> configuration,
      Class<?> jsonType, Sources sources) {
    List<String> allowed = new ArrayList<>(configuration.getAllowedClasses());
    allowed.addAll(sources.allowedEverywhere());
    for (Class<?> type : List.of(configuration.getKeyType(), configuration.getValueType())) {
      if (type != Object.class) {
        allowed.add(type.getName());
      }
    }
    ClassAllowList allowList = ClassAllowList.of(cacheName, allowed);
    Supplier<ClassLoader> classLoader = sources.classLoader();
    ValueCodec codec = switch (configuration.getCodecType()) {
      case KRYO -> new KryoValueCodec(allowList, configuration.isSchemaEvolution(), classLoader);
      case JDK -> new JdkValueCodec(allowList, classLoader);
      case JSON -> {
        if (!JsonValueCodec.isAvailable(classLoader.get())) {
          throw new CacheException("Cache '" + cacheName + "' uses the json codec, which needs "
              + "com.fasterxml.jackson.core:jackson-databind on the class path");
        }
        yield new JsonValueCodec(jsonType);
      }
    };
    return new SizeLimitedCodec(codec, cacheName, maxValueSize(configuration));
  }
}
