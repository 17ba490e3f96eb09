package io.github.cachelayer.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original's rate-limited endpoint. The limit itself is declared in application.properties
 * (rule {@code limited}: 100 a minute per {@code user}, shared by every instance on one Redis):
 * CacheLayer's filter counts each request, adds the RateLimit fields, and answers 429 itself.
 */
@RestController
class LimitedController {
  @GetMapping("/api/limited")
  Map<String, Object> limited(@RequestParam String user) {
    if (user.isBlank() || user.length() > 200) {
      throw ApiException.badRequest("user must be 1 to 200 characters");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", user);
    body.put("allowed", true);
    return body;
  }
}
