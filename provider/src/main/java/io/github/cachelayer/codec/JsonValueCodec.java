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
  private static final ObjectMapper MAPPER = new ObjectMapper(bounded())
      .findAndRegisterModules().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Bytes from Redis may be anyone's: no deeper nesting than the other codecs allow, and no
   * longer strings or numbers than Jackson's defaults. A Jackson older than 2.15 has no such
   * limits; its nesting is then bounded only by the stack (a StackOverflowError is refused as
   * undecodable below).
   */
  private static com.fasterxml.jackson.core.JsonFactory bounded() {
    com.fasterxml.jackson.core.JsonFactory factory = new com.fasterxml.jackson.core.JsonFactory();
    try {
      factory.setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxNestingDepth(DecodeBudget.MAX_DEPTH).build());
    } catch (LinkageError olderJackson) {
      // No StreamReadConstraints before Jackson 2.15.
    }
    return factory;
  }

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
    } catch (StackOverflowError e) {
      throw new CodecException("Cannot read a " + type.getName() + " from JSON: nested too deeply");
    }
  }
}
