package io.github.cachelayer.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cachelayer.cache.AsyncCache;
import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
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

  @Test
  @SuppressWarnings("unchecked")
  void theAsynchronousView() {
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, User> users = manager.createCache("async-users",
        new MutableConfiguration<String, User>().setTypes(String.class, User.class));
    User user = new User("Ada");
    users.put("42", user);
    try {
      // doc:async-view
      AsyncCache<String, User> async = users.unwrap(AsyncCache.class); // io.github.cachelayer.cache
      CompletableFuture<User> found = async.get("42");
      CompletableFuture<User> loaded = async.getOrLoad("43", id -> new User("user " + id));
      // end doc
      assertEquals(user, found.join());
      assertEquals(new User("user 43"), loaded.join());
      assertEquals(new User("user 43"), users.get("43"));
    } finally {
      manager.destroyCache("async-users");
    }
  }
}
