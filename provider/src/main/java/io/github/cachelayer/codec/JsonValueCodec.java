package io.github.cachelayer.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * Plain JSON of one declared type, for values other services read: no class names in the bytes,
 * and so nothing but that type (and the plain JSON types under {@code Object}) can ever be
 * instantiated. Needs jackson-databind on the class path; Jackson modules found there (java.time,
 * records, ...) are used.
 */
public final class JsonValueCodec implements ValueCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Class<?> type;

  /**
   * @param type the declared key or value type of the cache ({@code Object}: maps, lists, strings,
   *     numbers and booleans)
   */
  public JsonValueCodec(Class<?> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  /** Whether Jackson is on the class path. */
  public static boolean isAvailable(ClassLoader classLoader) {
    try {
      Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, classLoader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Override
  public byte[] encode(Object value) {
    if (!type.isInstance(value)) {
      throw new CodecException("The json codec of this cache writes " + type.getName()
          + ", not " + value.getClass().getName());
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new CodecException("Cannot write a " + value.getClass().getName() + " as JSON", e);
    }
  }

  @Override
  public Object decode(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new CodecException("Cannot read a " + type.getName() + " from JSON: " + e.getMessage(), e);
    }
  }
}
