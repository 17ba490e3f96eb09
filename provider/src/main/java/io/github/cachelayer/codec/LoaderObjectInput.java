package io.github.cachelayer.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Java deserialization that finds classes through the cache's class loader first (an
 * application server's or Spring Boot's), then the JDK's way.
 */
class LoaderObjectInput extends ObjectInputStream {
  private final ClassLoader loader;

  LoaderObjectInput(InputStream in, ClassLoader loader) throws IOException {
    super(in);
    this.loader = loader;
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass description)
      throws IOException, ClassNotFoundException {
    try {
      return Class.forName(description.getName(), false, loader);
    } catch (ClassNotFoundException e) {
      return super.resolveClass(description);
    }
  }
}
