package io.github.cachelayer.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Serializable;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's JCache example, run as written (between the doc markers; DocSnippetsTest holds
 * the README's block to it), in fallback mode.
 */
class JCacheExamplesTest {
  /** An application's value class. */
  record User(String name) implements Serializable {}

  @Test
  void usingIt() {
    User user = new User("Ada");
    // doc:using-it
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, User> users = manager.createCache("users",
        new MutableConfiguration<String, User>()
            .setTypes(String.class, User.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.TEN_MINUTES)));
    users.put("42", user);
    // end doc
    try {
      assertEquals(user, users.get("42"));
    } finally {
      manager.destroyCache("users");
    }
  }
}
