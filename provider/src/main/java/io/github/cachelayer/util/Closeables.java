package io.github.cachelayer.util;

import java.io.Closeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes user customizations (loaders, writers, listeners, expiry policies) when a cache closes. */
public final class Closeables {
  private static final Logger LOG = LoggerFactory.getLogger(Closeables.class);

  private Closeables() {}

  /** Closes {@code object} if it is {@link Closeable} or {@link AutoCloseable}; logs a failure. */
  public static void closeQuietly(Object object) {
    if (object instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Failed to close {}", object.getClass().getName(), e);
      }
    }
  }
}
