package io.github.cachelayer.redis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.codec.ClassAllowList;
import io.github.cachelayer.codec.CodecException;
import io.github.cachelayer.codec.KryoValueCodec;
import io.github.cachelayer.config.CacheLayerConfiguration;
import io.github.cachelayer.testing.Managers;
import io.github.cachelayer.testing.redis.RedisExtension;
import io.github.cachelayer.testing.redis.RedisServer;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CodecTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();
  private final List<CacheManager> managers = new ArrayList<>();

  @AfterEach
  void close() {
    managers.forEach(CacheManager::close);
  }

  private CacheManager manager() {
    CacheManager manager = Managers.inOwnProvider("codec", Map.of("REDIS_URL", redis.url()));
    managers.add(manager);
    return manager;
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void aKeyOfAnotherTypeReadsAsAbsentAndIsReplacedByAWrite() {
    Cache<String, String> cache = manager().createCache("lists",
        new javax.cache.configuration.MutableConfiguration<String, String>()
            .setTypes(String.class, String.class));
    cache.put("mine", "value");
    redis.call("RPUSH", "codec:lists:foreign", "a", "b");
    redis.call("RPUSH", "codec:lists:other", "a");
    java.util.List<String> seen = new ArrayList<>();
    cache.forEach(entry -> seen.add(entry.getKey()));
    assertEquals(java.util.List.of("mine"), seen, "iteration skips what is not an entry");
    assertNull(cache.get("foreign"));
    cache.put("foreign", "replaced");
    assertEquals("replaced", cache.get("foreign"));
    assertEquals("done", cache.invoke("other", (entry, args) -> {
      entry.setValue(entry.exists() ? "unexpected" : "created");
      return "done";
    }));
    assertEquals("created", cache.get("other"));
  }

  /** A value with behaviour in it: its lambda field cannot be read back anywhere. */
  record Pricing(String name, java.util.function.IntUnaryOperator rule)
      implements java.io.Serializable {}

  @Test
  void aValueHoldingALambdaIsRefusedWhenStoredNotLostWhenRead() {
    Cache<String, Object> cache = manager().createCache("lambdas",
        new javax.cache.configuration.MutableConfiguration<String, Object>());
    javax.cache.CacheException refused = org.junit.jupiter.api.Assertions.assertThrows(
        javax.cache.CacheException.class, () -> cache.put("k", new Pricing("double", x -> x * 2)));
    assertTrue(refused.getMessage().contains("lambda"), refused.getMessage());
    assertEquals(0L, redis.call("EXISTS", "codec:lambdas:k"), "nothing was written");
    assertEquals(null, cache.get("k"));
  }

  @Test
  void aValueOverTheSizeLimitIsRefusedNamingItsSizeAndNothingIsWritten() {
    CacheLayerConfiguration<String, String> configuration = new CacheLayerConfiguration<>();
    configuration.setTypes(String.class, String.class);
    Cache<String, String> cache = manager().createCache("limited",
        configuration.setMaxValueSize(1_024));
    cache.put("k", "small");
    String big = "x".repeat(10_000);
    io.github.cachelayer.codec.CodecException refused = org.junit.jupiter.api.Assertions
        .assertThrows(io.github.cachelayer.codec.CodecException.class, () -> cache.put("k", big));
    assertTrue(refused.getMessage().contains("'limited'")
        && refused.getMessage().contains("java.lang.String")
        && refused.getMessage().contains("max-value-size (1024 bytes)"), refused.getMessage());
    assertEquals("small", cache.get("k"), "the refused put changed nothing");
    org.junit.jupiter.api.Assertions.assertThrows(io.github.cachelayer.codec.CodecException.class,
        () -> cache.putIfAbsent("other", big));
    assertEquals(0L, redis.call("EXISTS", "codec:limited:other"), "nothing was written");
    Cache<String, String> unlimited = manager().createCache("unlimited",
        new javax.cache.configuration.MutableConfiguration<String, String>());
    unlimited.put("k", big);
    assertEquals(big, unlimited.get("k"), "16 MiB by default");
  }

  @Test
  void encryptedValuesAreCiphertextInRedisAndSurviveKeyRotation() {
    Cache<String, String> old = manager().createCache("secrets", new CacheLayerConfiguration<String, String>()
        .setEncryption("k1", Map.of("k1", key(1))));
    old.put("ssn", "123-45-6789");
    String stored = (String) redis.call("GET", "codec:secrets:ssn");
    assertFalse(stored.contains("123-45-6789"), "Redis holds ciphertext only");
    assertTrue(stored.substring(14).startsWith("F\u0002k1"), "format, key id");

    Cache<String, String> rotated = manager().createCache("secrets",
        new CacheLayerConfiguration<String, String>()
            .setEncryption("k2", Map.of("k2", key(2), "k1", key(1))));
    assertEquals("123-45-6789", rotated.get("ssn"), "old values readable while k1 is listed");
    rotated.put("ssn2", "987");
    assertTrue(((String) redis.call("GET", "codec:secrets:ssn2")).substring(14).startsWith("F\u0002k2"));

    Cache<String, String> keyGone = manager().createCache("secrets",
        new CacheLayerConfiguration<String, String>().setEncryption("k2", Map.of("k2", key(2))));
    assertNull(keyGone.get("ssn"), "a value whose key was rotated out is a miss, not garbage");
    assertEquals("987", keyGone.get("ssn2"));
  }

  /**
   * Ciphertext is bound to where it lives: copied (as anyone who can write to Redis could, with
   * COPY) over another key of the same cache, into another cache with the same key, or into
   * another namespace, or altered by one bit, it does not decrypt there: a miss, never the
   * other entry's value.
   */
  @Test
  void encryptedValuesAreBoundToTheirKeyCacheAndNamespace() throws Exception {
    Map<String, byte[]> keys = Map.of("k", key(4));
    Cache<String, String> vault = manager().createCache("vault",
        new CacheLayerConfiguration<String, String>().setEncryption("k", keys));
    Cache<String, String> other = manager().createCache("other",
        new CacheLayerConfiguration<String, String>().setEncryption("k", keys));
    vault.put("alice", "alice's secret");
    vault.put("bob", "bob's secret");
    other.put("bob", "other bob");
    assertEquals(1L, redis.call("COPY", "codec:vault:alice", "codec:vault:bob", "REPLACE"));
    assertEquals(1L, redis.call("COPY", "codec:vault:alice", "codec:other:bob", "REPLACE"));
    assertNull(vault.get("bob"), "alice's ciphertext under bob's key");
    assertNull(other.get("bob"), "alice's ciphertext in another cache");
    assertEquals("alice's secret", vault.get("alice"), "where it was written it still reads");

    try (CacheManager elsewhere = Managers.inOwnProvider("codec-elsewhere",
        Map.of("REDIS_URL", redis.url()))) {
      Cache<String, String> sameNameOtherNamespace = elsewhere.createCache("vault",
          new CacheLayerConfiguration<String, String>().setEncryption("k", keys));
      sameNameOtherNamespace.put("alice", "placeholder");
      assertEquals(1L, redis.call("COPY", "codec:vault:alice", "codec-elsewhere:vault:alice",
          "REPLACE"));
      assertNull(sameNameOtherNamespace.get("alice"), "ciphertext moved to another namespace");
    }

    try (var connection = redis.server().connect()) {
      byte[] stored = connection.callBytes("GET", "codec:vault:alice");
      for (int bit : new int[] {8 * 20, 8 * (stored.length - 1)}) {
        byte[] altered = stored.clone();
        altered[bit / 8] ^= 1;
        connection.callBytes("SET", "codec:vault:altered".getBytes(), altered);
        assertNull(vault.get("altered"), "one bit altered at byte " + bit / 8);
      }
    }
  }

  @Test
  void conditionalOperationsStillWorkOnEncryptedValues() {
    Cache<String, String> cache = manager().createCache("cond", new CacheLayerConfiguration<String, String>()
        .setEncryption("k", Map.of("k", key(3))));
    cache.put("a", "1");
    assertTrue(cache.replace("a", "1", "2"), "equal values, different ciphertexts");
    assertTrue(cache.remove("a", "2"));
    assertNull(cache.get("a"));
  }

  /** A Serializable class outside the JDK: the jdk codec needs it on the allow-list too. */
  static final class Account implements Serializable {
    private static final long serialVersionUID = 1L;
    final String owner;

    Account(String owner) {
      this.owner = owner;
    }
  }

  @Test
  void jdkCodecChecksTheAllowListOnReadAndWrite() {
    CacheManager manager = manager();
    Cache<String, Object> allowed = manager.createCache("jdk-ok",
        new CacheLayerConfiguration<String, Object>()
            .setCodecType(CacheLayerConfiguration.CodecType.JDK)
            .setAllowedClasses(List.of(Account.class.getName())));
    allowed.put("a", new Account("ada"));
    assertEquals("ada", ((Account) allowed.get("a")).owner);
    Cache<String, Object> strict = manager.createCache("jdk-strict",
        new CacheLayerConfiguration<String, Object>()
            .setCodecType(CacheLayerConfiguration.CodecType.JDK));
    redis.call("COPY", "codec:jdk-ok:a", "codec:jdk-strict:a");
    assertNull(strict.get("a"), "the filter refuses the class before it is instantiated");
    strict.put("b", new Account("eve"));
    assertEquals("eve", ((Account) strict.get("b")).owner, "what the cache wrote, it reads");
  }

  /** An application's value class, which another JVM reads only if its package is allowed. */
  static final class Book {
    String title = "Dune";
  }

  private CacheManager managerWith(Map<String, String> environment, String allowProperty) {
    java.util.Properties properties = new java.util.Properties();
    properties.put(io.github.cachelayer.util.ManagerOverrides.ENVIRONMENT,
        environment);
    if (allowProperty != null) {
      properties.setProperty("cachelayer.codec.allow", allowProperty);
    }
    CacheManager manager = new io.github.cachelayer.CacheLayerCachingProvider().getCacheManager(
        java.net.URI.create("codec"), getClass().getClassLoader(), properties);
    managers.add(manager);
    return manager;
  }

  @Test
  void theManagersAllowListFromTheEnvironmentOrItsPropertiesAddsToEveryCache() {
    manager().createCache("books", new MutableConfiguration<>()).put("b", new Book());
    String pkg = Book.class.getPackageName() + ".*";

    Cache<Object, Object> stranger = managerWith(Map.of("REDIS_URL", redis.url()), null)
        .createCache("books", new MutableConfiguration<>());
    assertNull(stranger.get("b"), "another JVM refuses an application class by default");

    Cache<Object, Object> byEnvironment = managerWith(Map.of("REDIS_URL", redis.url(),
        "CACHELAYER_CODEC_ALLOW", "com.example.other.*, " + pkg), null)
        .createCache("books", new MutableConfiguration<>());
    assertEquals("Dune", ((Book) byEnvironment.get("b")).title);

    Cache<Object, Object> byProperty = managerWith(Map.of("REDIS_URL", redis.url()),
        "com.example.other.*," + pkg).createCache("books", new MutableConfiguration<>());
    assertEquals("Dune", ((Book) byProperty.get("b")).title);
  }

  /** A value other services read as JSON. */
  public static final class Profile {
    public String name;
    public int age;

    public Profile() {}

    Profile(String name, int age) {
      this.name = name;
      this.age = age;
    }
  }

  @Test
  void jsonValuesArePlainJsonOfTheDeclaredType() {
    Cache<String, Profile> cache = manager().createCache("profiles",
        new CacheLayerConfiguration<String, Profile>()
            .setCodecType(CacheLayerConfiguration.CodecType.JSON)
            .setTypes(String.class, Profile.class));
    cache.put("ada", new Profile("ada", 36));
    String stored = (String) redis.call("GET", "codec:profiles:ada");
    assertEquals("{\"name\":\"ada\",\"age\":36}", stored.substring(14),
        "after the 14-byte header: JSON another service can read");
    Profile read = cache.get("ada");
    assertEquals("ada", read.name);
    assertEquals(36, read.age);
  }

  /** Two versions of one class, as two deploys would have it. */
  static final class V1 {
    String name = "ada";
    int age = 36;
  }

  static final class V2 {
    String name;
    String email = "unset";
  }

  @Test
  void schemaEvolutionToleratesAddedAndRemovedFields() {
    ClassAllowList allow = ClassAllowList.of("c", List.of(CodecTest.class.getPackageName() + ".*"));
    KryoValueCodec evolving = new KryoValueCodec(allow, true, getClass()::getClassLoader);
    V2 read = (V2) evolving.decode(asV2(evolving.encode(new V1())));
    assertEquals("ada", read.name);
    KryoValueCodec strict = new KryoValueCodec(allow, false, getClass()::getClassLoader);
    byte[] strictBytes = asV2(strict.encode(new V1()));
    Object misread;
    try {
      misread = strict.decode(strictBytes);
    } catch (CodecException expected) {
      misread = null;
    }
    if (misread instanceof V2 v2) {
      assertNotEquals("ada", v2.name, "without schema evolution the fields do not line up");
    }
  }

  /** The same bytes, naming V2 instead of V1 (Kryo writes the class name; same length). */
  private static byte[] asV2(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String v1 = "$V" + (char) ('1' | 0x80);
    String v2 = "$V" + (char) ('2' | 0x80);
    assertTrue(text.contains(v1), "class name found in the bytes");
    return text.replace(v1, v2).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void redisMaxmemoryEvictionLeavesTheCacheConsistent() {
    try (RedisServer small = RedisServer.start("--maxmemory", "3mb", "--maxmemory-policy",
        "allkeys-lru")) {
      try (CacheManager manager = Managers.inOwnProvider("evicted",
          Map.of("REDIS_URL", small.url()))) {
        Cache<Integer, String> cache = manager.createCache("c", new MutableConfiguration<>());
        String padding = "x".repeat(1_000);
        for (int i = 0; i < 10_000; i++) {
          cache.put(i, i + padding);
        }
        int present = 0;
        for (int i = 0; i < 10_000; i++) {
          String value = cache.get(i);
          if (value != null) {
            assertEquals(i + padding, value, "an entry is there whole or not at all");
            present++;
          }
        }
        assertTrue(present > 0 && present < 10_000, "Redis evicted some entries: " + present);
        int iterated = 0;
        for (Cache.Entry<Integer, String> entry : cache) {
          assertEquals(entry.getKey() + padding, entry.getValue());
          iterated++;
        }
        assertTrue(iterated <= present);
      }
    }
  }
}
