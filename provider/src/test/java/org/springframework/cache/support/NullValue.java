package org.springframework.cache.support;

import java.io.Serializable;

/**
 * Stand-in with the name and shape of Spring's NullValue (a serialization singleton compared by
 * identity), so CacheLayer's tests can check what Spring's JCache support stores for null.
 */
public final class NullValue implements Serializable {
  public static final Object INSTANCE = new NullValue();
  private static final long serialVersionUID = 1L;

  private NullValue() {}

  private Object readResolve() {
    return INSTANCE;
  }
}
