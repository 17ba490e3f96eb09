package io.github.cachelayer.spring.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cachelayer.rate-limit.*}: rate limits declared by properties, per rule name.
 *
 * <pre>
 * cachelayer.rate-limit.rules.api.path=/api/**
 * cachelayer.rate-limit.rules.api.limit=100
 * cachelayer.rate-limit.rules.api.window=1m
 * </pre>
 */
@ConfigurationProperties("cachelayer.rate-limit")
public class RateLimitProperties {
  /** Whether the declared rules and {@code @RateLimited} are enforced. */
  private boolean enabled = true;
  /** The rules, by name (the name appears in the response headers and the meters). */
  private Map<String, Rule> rules = new LinkedHashMap<>();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Map<String, Rule> getRules() {
    return rules;
  }

  public void setRules(Map<String, Rule> rules) {
    this.rules = rules;
  }

  /** One rule. */
  public static class Rule {
    /**
     * Ant-style patterns of the paths it limits, within the application; none: only handler
     * methods annotated {@code @RateLimited} with its name.
     */
    private List<String> path = new ArrayList<>();
    /** The HTTP methods it limits; none: every method. */
    private List<String> methods = new ArrayList<>();
    /** Requests allowed per window (a token bucket's capacity). */
    private Long limit;
    /** The window (a token bucket refills {@code refill} tokens per window). */
    private Duration window;
    /** {@code fixed-window} (default), {@code sliding-window} or {@code token-bucket}. */
    private String algorithm = "fixed-window";
    /**
     * Whose requests count together: {@code ip} (default; the client address as the server
     * sees it, after Boot's forwarded-header handling), {@code principal} (the signed-in user;
     * anonymous requests by address), {@code header:<name>} (by address when it is missing),
     * or a SpEL expression in {@code #{...}} over the request ({@code method}, {@code path},
     * {@code address}, {@code principal}, {@code header('name')}).
     */
    private String key = "ip";
    /** A token bucket's tokens added per window; default the limit. */
    private Long refill;
    /** A sliding window's slots; default 10. */
    private Integer slots;

    public List<String> getPath() {
      return path;
    }

    public void setPath(List<String> path) {
      this.path = path;
    }

    public List<String> getMethods() {
      return methods;
    }

    public void setMethods(List<String> methods) {
      this.methods = methods;
    }

    public Long getLimit() {
      return limit;
    }

    public void setLimit(Long limit) {
      this.limit = limit;
    }

    public Duration getWindow() {
      return window;
    }

    public void setWindow(Duration window) {
      this.window = window;
    }

    public String getAlgorithm() {
      return algorithm;
    }

    public void setAlgorithm(String algorithm) {
      this.algorithm = algorithm;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public Long getRefill() {
      return refill;
    }

    public void setRefill(Long refill) {
      this.refill = refill;
    }

    public Integer getSlots() {
      return slots;
    }

    public void setSlots(Integer slots) {
      this.slots = slots;
    }
  }
}
