package io.github.cachelayer.spring.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestKeyTest {
  private static RequestFacts request(Map<String, String> headers, String query) {
    return new RequestFacts("GET", "/api/x", "10.0.0.7", null, headers::get,
        name -> RateLimitFilter.queryParam(query, name));
  }

  private static String key(String spec, RequestFacts request) {
    return RequestKey.parse(spec, "test.key").of(request);
  }

  @Test
  void eachKindIsPrefixedSoValuesNeverCollideAcrossKinds() {
    RequestFacts request = request(Map.of("X-Api-Key", "10.0.0.7"), "user=10.0.0.7");
    assertEquals("ip:10.0.0.7", key("ip", request));
    assertEquals("header:10.0.0.7", key("header:X-Api-Key", request));
    assertEquals("param:10.0.0.7", key("param:user", request));
    assertEquals("ip:10.0.0.7", key("principal", request), "anonymous: by address");
  }

  @Test
  void queryParametersAreDecodedAndMissingOnesCountByAddress() {
    assertEquals("param:ann smith", key("param:user", request(Map.of(), "a=1&user=ann%20smith")));
    assertEquals("ip:10.0.0.7", key("param:user", request(Map.of(), "a=1")));
    assertEquals("ip:10.0.0.7", key("param:user", request(Map.of(), null)));
    assertEquals("spel:GET ann", key("#{method + ' ' + param('user')}",
        request(Map.of(), "user=ann")));
    assertEquals("ip:10.0.0.7", key("#{param('user')}", request(Map.of(), "")),
        "a SpEL key that gives null counts by address, not in one shared bucket");
  }

  @Test
  void aLongValueIsCountedByItsHash() {
    String longValue = "k".repeat(5_000);
    String hashed = key("header:X-Api-Key", request(Map.of("X-Api-Key", longValue), null));
    assertTrue(hashed.matches("sha256:[0-9a-f]{64}"), hashed);
    assertNotEquals(hashed,
        key("header:X-Api-Key", request(Map.of("X-Api-Key", longValue + "x"), null)));
  }

  @Test
  void spelCannotReachTypesOrBeans() {
    RequestKey key = RequestKey.parse("#{T(java.lang.Runtime).getRuntime()}", "test.key");
    assertThrows(RuntimeException.class, () -> key.of(request(Map.of(), null)));
  }
}
