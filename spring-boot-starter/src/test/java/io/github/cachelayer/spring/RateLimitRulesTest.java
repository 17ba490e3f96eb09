package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.spring.ratelimit.CacheLayerRateLimitAutoConfiguration;
import io.github.cachelayer.spring.ratelimit.RateLimited;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Bad rules fail start-up, each naming what was wrong. */
class RateLimitRulesTest {
  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CacheLayerCacheAutoConfiguration.class,
          CacheLayerAutoConfiguration.class, CacheLayerRateLimitAutoConfiguration.class,
          WebMvcAutoConfiguration.class));

  private void failsNaming(String expected, String... properties) {
    web.withPropertyValues(properties).run(context -> {
      Throwable failure = context.getStartupFailure();
      assertNotNull(failure, "started with " + String.join(", ", properties));
      StringBuilder messages = new StringBuilder();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append(" / ");
      }
      assertTrue(messages.toString().contains(expected), messages.toString());
    });
  }

  @Test
  void eachBadSettingIsNamed() {
    failsNaming("cachelayer.rate-limit.rules.api.algorithm must be fixed-window, sliding-window "
        + "or token-bucket, was 'leaky'",
        "cachelayer.rate-limit.rules.api.path=/api/**", "cachelayer.rate-limit.rules.api.limit=5",
        "cachelayer.rate-limit.rules.api.window=1m",
        "cachelayer.rate-limit.rules.api.algorithm=leaky");
    failsNaming("cachelayer.rate-limit.rules.api.limit must be at least 1, was 0",
        "cachelayer.rate-limit.rules.api.path=/api/**", "cachelayer.rate-limit.rules.api.limit=0",
        "cachelayer.rate-limit.rules.api.window=1m");
    failsNaming("cachelayer.rate-limit.rules.api.window",
        "cachelayer.rate-limit.rules.api.path=/api/**", "cachelayer.rate-limit.rules.api.limit=5",
        "cachelayer.rate-limit.rules.api.window=soon");
    failsNaming("cachelayer.rate-limit.rules.api.window must be a positive duration",
        "cachelayer.rate-limit.rules.api.path=/api/**", "cachelayer.rate-limit.rules.api.limit=5");
    failsNaming("cachelayer.rate-limit.rules.api.key must be ip, principal, header:<name>, "
        + "param:<name> or a SpEL expression in #{...}, was 'user'",
        "cachelayer.rate-limit.rules.api.path=/api/**", "cachelayer.rate-limit.rules.api.limit=5",
        "cachelayer.rate-limit.rules.api.window=1m", "cachelayer.rate-limit.rules.api.key=user");
    failsNaming("cachelayer.rate-limit.rules.api.key is not a valid SpEL expression",
        "cachelayer.rate-limit.rules.api.path=/api/**", "cachelayer.rate-limit.rules.api.limit=5",
        "cachelayer.rate-limit.rules.api.window=1m",
        "cachelayer.rate-limit.rules.api.key=#{header('X-Tenant' +}");
    failsNaming("cachelayer.rate-limit.rules.api.path must be paths starting with '/'",
        "cachelayer.rate-limit.rules.api.path=api/**", "cachelayer.rate-limit.rules.api.limit=5",
        "cachelayer.rate-limit.rules.api.window=1m");
  }

  @Test
  void anAnnotationNamingNoRuleFailsStartUp() {
    web.withUserConfiguration(Unnamed.class).run(context -> {
      Throwable failure = context.getStartupFailure();
      assertNotNull(failure);
      StringBuilder messages = new StringBuilder();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append(" / ");
      }
      assertTrue(messages.toString().contains("@RateLimited(\"nowhere\")"), messages.toString());
    });
  }

  @Test
  void goodRulesStart() {
    web.withPropertyValues("cachelayer.rate-limit.rules.api.path=/api/**,/v2/**",
            "cachelayer.rate-limit.rules.api.methods=GET,post",
            "cachelayer.rate-limit.rules.api.limit=5", "cachelayer.rate-limit.rules.api.window=1m",
            "cachelayer.rate-limit.rules.api.algorithm=sliding-window",
            "cachelayer.rate-limit.rules.api.key=#{header('X-Tenant') + ':' + path}",
            "cachelayer.rate-limit.rules.bucket.path=/b/**",
            "cachelayer.rate-limit.rules.bucket.limit=10",
            "cachelayer.rate-limit.rules.bucket.window=1s",
            "cachelayer.rate-limit.rules.bucket.algorithm=token-bucket")
        .run(context -> assertEquals(null, context.getStartupFailure()));
  }

  @RestController
  static class Unnamed {
    @GetMapping("/nowhere")
    @RateLimited("nowhere")
    String nowhere() {
      return "";
    }
  }
}
