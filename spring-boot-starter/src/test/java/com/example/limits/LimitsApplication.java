package com.example.limits;

import io.github.cachelayer.spring.ratelimit.RateLimited;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A web application whose limits are properties and one annotation, nothing else. */
@SpringBootApplication
@RestController
@PropertySource("classpath:limits.properties")
public class LimitsApplication {
  public static void main(String[] args) {
    SpringApplication.run(LimitsApplication.class, args);
  }

  @GetMapping("/api/hello")
  public Map<String, Object> hello() {
    return Map.of("hello", "world");
  }

  @GetMapping("/open")
  public Map<String, Object> open() {
    return Map.of("open", true);
  }

  // doc:rate-limited
  @GetMapping("/search")
  @RateLimited(value = "search", limit = 3, window = "36500d", key = "header:X-Api-Key")
  public Map<String, Object> search() {
    return Map.of("results", 0);
  }
  // end doc
}
