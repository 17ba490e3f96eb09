package io.github.cachelayer.cache;

import static java.util.Objects.requireNonNull;

import io.github.cachelayer.config.CacheLayerConfiguration;
import java.util.Collection;
import javax.cache.integration.CompletionListener;

/** The argument checks the specification asks of every cache operation. */
final class Arguments {
  /** For loadAll without a listener. */
  static final CompletionListener NO_LISTENER = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {}
  };

  private Arguments() {}

  static void requireNoNullKeys(Collection<?> keys) {
    requireNonNull(keys, "keys");
    for (Object key : keys) {
      requireNonNull(key, "keys contains null");
    }
  }

  /** Non-null, and of the configured key and value types (ClassCastException otherwise). */
  static void checkKeyValue(String cacheName, CacheLayerConfiguration<?, ?> configuration,
      Object key, Object value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    Class<?> keyType = configuration.getKeyType();
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException("Cache '" + cacheName + "' takes keys of " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
    Class<?> valueType = configuration.getValueType();
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException("Cache '" + cacheName + "' takes values of "
          + valueType.getName() + ", not " + value.getClass().getName());
    }
  }
}
