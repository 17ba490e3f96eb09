package io.github.cachelayer.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.UUID;

/** Types whose instances cannot change, so store-by-value need not copy them. */
final class ImmutableTypes {
  private static final Set<Class<?>> TYPES = Set.of(String.class, Boolean.class, Byte.class,
      Short.class, Character.class, Integer.class, Long.class, Float.class, Double.class,
      BigInteger.class, BigDecimal.class, UUID.class, Class.class,
      java.time.Instant.class, java.time.LocalDate.class, java.time.LocalDateTime.class,
      java.time.LocalTime.class, java.time.OffsetDateTime.class, java.time.ZonedDateTime.class,
      java.time.Duration.class, java.time.Period.class, java.net.URI.class);

  private ImmutableTypes() {}

  static boolean isImmutable(Object object) {
    // The common keys and values first: a type check is cheaper than the set lookup.
    return object == null || object instanceof String || object instanceof Long
        || object instanceof Integer || TYPES.contains(object.getClass())
        || object instanceof Enum<?>;
  }
}
