package io.github.cachelayer.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.cachelayer.testing.Managers;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class KryoCopierTest {
  /** Not Serializable, no no-arg constructor: Java serialization could not copy it. */
  static final class Pojo {
    final String name;
    final List<String> tags;
    int visits;

    Pojo(String name, List<String> tags) {
      this.name = name;
      this.tags = tags;
    }
  }

  private final KryoCopier copier = new KryoCopier(getClass()::getClassLoader);

  @Test
  void copiesAreDeepAndIndependent() {
    Pojo original = new Pojo("a", new ArrayList<>(List.of("x")));
    Pojo copy = copier.copy(original);
    assertNotSame(original, copy);
    assertNotSame(original.tags, copy.tags);
    assertEquals(original.tags, copy.tags);
    original.tags.add("y");
    assertEquals(List.of("x"), copy.tags);
  }

  /** Like Spring's NullValue: a singleton that Java serialization resolves back to itself. */
  static final class Singleton implements java.io.Serializable {
    static final Singleton INSTANCE = new Singleton();
    private static final long serialVersionUID = 1L;

    private Singleton() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }

  /** Like Spring Security's BadCredentialsException, kept in a session after a failed sign-in. */
  static final class SignInFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String user;

    SignInFailed(String message, String user, Throwable cause) {
      super(message, cause);
      this.user = user;
    }
  }

  @Test
  void anApplicationsExceptionIsCopiedThoughThrowablesFieldsAreJavaBasesOwn() {
    SignInFailed original = new SignInFailed("Bad credentials", "alice",
        new IllegalStateException("locked"));
    SignInFailed copy = copier.copy(original);
    assertNotSame(original, copy);
    assertEquals("Bad credentials", copy.getMessage());
    assertEquals("alice", copy.user);
    assertEquals("locked", copy.getCause().getMessage());
    assertEquals(original.getStackTrace().length, copy.getStackTrace().length);
  }

  @Test
  void anApplicationsExceptionGoesThroughTheRedisCodecWhenItsClassIsAllowed() {
    KryoValueCodec codec = new KryoValueCodec(ClassAllowList.of("c",
        List.of(SignInFailed.class.getName())), false, getClass()::getClassLoader);
    SignInFailed read = (SignInFailed) codec.decode(codec.encode(
        new SignInFailed("Bad credentials", "alice", null)));
    assertEquals("Bad credentials", read.getMessage());
    assertEquals("alice", read.user);
  }

  @Test
  void serializationSingletonsStayIdentical() {
    assertSame(Singleton.INSTANCE, copier.copy(Singleton.INSTANCE));
    List<Object> holder = new ArrayList<>(List.of(Singleton.INSTANCE));
    assertSame(Singleton.INSTANCE, copier.copy(holder).get(0), "also inside another value");
  }

  @Test
  void immutableValuesAreNotCopied() {
    String text = new String("text");
    assertSame(text, copier.copy(text));
    Long number = 123456789L;
    assertSame(number, copier.copy(number));
  }

  @Test
  void storeByValueProtectsTheCacheFromCallerMutation() {
    try (CacheManager manager = Managers.fresh()) {
      Cache<String, Pojo> cache = manager.createCache("pojos", new MutableConfiguration<>());
      Pojo value = new Pojo("a", new ArrayList<>(List.of("x")));
      cache.put("k", value);
      value.visits = 99;
      value.tags.add("mutated after put");
      Pojo read = cache.get("k");
      assertEquals(0, read.visits);
      assertEquals(List.of("x"), read.tags);
      read.visits = 42;
      assertEquals(0, cache.get("k").visits, "mutating a read value changes nothing");
    }
  }
}
