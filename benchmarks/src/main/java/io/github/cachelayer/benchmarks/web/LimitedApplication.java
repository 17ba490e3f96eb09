package io.github.cachelayer.benchmarks.web;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the rate-limited request benchmark calls: one endpoint with no limit, one
 * limited by CacheLayer's declared rule ({@code /api/**}, by the {@code X-Client} header), and
 * one limited by hand the way Spring Cloud Gateway's Redis rate limiter does it: one Lua script
 * (a token bucket in two keys) by a raw client (Lettuce, one multiplexed connection) per request.
 */
@SpringBootApplication
@RestController
public class LimitedApplication {
  /** A token bucket in two keys (tokens, last refill), as Spring Cloud Gateway's script keeps it. */
  static final String TOKEN_BUCKET = """
      local rate = tonumber(ARGV[1])
      local capacity = tonumber(ARGV[2])
      local now = tonumber(ARGV[3])
      local ttl = math.floor(capacity / rate * 2)
      local tokens = tonumber(redis.call('get', KEYS[1])) or capacity
      local last = tonumber(redis.call('get', KEYS[2])) or 0
      tokens = math.min(capacity, tokens + math.max(0, now - last) * rate)
      local allowed = 0
      if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
      end
      redis.call('setex', KEYS[1], ttl, tokens)
      redis.call('setex', KEYS[2], ttl, now)
      return {allowed, tokens}
      """;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String sha;

  public LimitedApplication(@Value("${bench.redis.url}") String url) {
    client = RedisClient.create(url);
    connection = client.connect(StringCodec.UTF8);
    redis = connection.sync();
    sha = redis.scriptLoad(TOKEN_BUCKET);
  }

  @PreDestroy
  void close() {
    connection.close();
    client.shutdown();
  }

  @GetMapping("/open")
  public String open() {
    return "ok";
  }

  @GetMapping("/api/limited")
  public String limited() {
    return "ok";
  }

  @GetMapping("/raw")
  public String raw(@RequestHeader("X-Client") String who, HttpServletResponse response) {
    List<Long> answer = redis.evalsha(sha, ScriptOutputType.MULTI,
        new String[] {"raw:" + who + ":tokens", "raw:" + who + ":ts"},
        "1000000", "1000000000", Long.toString(System.currentTimeMillis() / 1_000));
    response.setHeader("RateLimit", "\"raw\";r=" + answer.get(1));
    if (answer.get(0) == 0) {
      response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
      return "limited";
    }
    return "ok";
  }
}
