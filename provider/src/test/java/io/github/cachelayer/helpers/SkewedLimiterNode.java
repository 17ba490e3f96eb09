package io.github.cachelayer.helpers;

import io.github.cachelayer.CacheLayerCachingProvider;
import io.github.cachelayer.ratelimit.RateLimit;
import io.github.cachelayer.ratelimit.RateLimiter;
import io.github.cachelayer.util.ManagerOverrides;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A replica whose clock is off: {@code java ... SkewedLimiterNode <skew ms> <seconds> <key>},
 * Redis from REDIS_URL. Its CacheManager and its limiters all run on the system clock plus the
 * skew (as a JVM on a machine whose clock drifted would). It asks three limits (a fixed window,
 * a sliding window and a token bucket, each of 100 per 10 s) on two threads each, a request
 * every 5 ms per thread, for the given seconds after GO, and prints each grant as
 * {@code GRANT <algorithm> <true time before> <true time after>} (the machine's own clock,
 * which Redis shares), then {@code DONE}.
 */
public final class SkewedLimiterNode {
  static final long LIMIT = 100;
  static final Duration PERIOD = Duration.ofSeconds(10);

  private SkewedLimiterNode() {}

  public static void main(String[] args) throws Exception {
    long skew = Long.parseLong(args[0]);
    long seconds = Long.parseLong(args[1]);
    String key = args[2];
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(skew));
    Properties properties = new Properties();
    properties.put(ManagerOverrides.CLOCK,
        (io.github.cachelayer.util.Clock) clock::millis);
    properties.put(ManagerOverrides.ENVIRONMENT,
        Map.of("REDIS_URL", System.getenv("REDIS_URL")));
    var manager = new CacheLayerCachingProvider().getCacheManager(URI.create("skewed-limits"),
        SkewedLimiterNode.class.getClassLoader(), properties);
    Map<String, RateLimiter> limiters = Map.of(
        "fixed", RateLimiter.create(manager, "fixed", RateLimit.fixedWindow(LIMIT, PERIOD), clock),
        "sliding", RateLimiter.create(manager, "sliding",
            RateLimit.slidingWindow(LIMIT, PERIOD), clock),
        "bucket", RateLimiter.create(manager, "bucket",
            RateLimit.tokenBucket(LIMIT, LIMIT, PERIOD), clock));
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    if (!"GO".equals(in.readLine())) {
      System.exit(2);
    }
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    ConcurrentLinkedQueue<String> grants = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (Map.Entry<String, RateLimiter> limiter : limiters.entrySet()) {
      for (int t = 0; t < 2; t++) {
        Thread thread = new Thread(() -> {
          while (System.nanoTime() < end) {
            long before = System.currentTimeMillis();
            boolean allowed = limiter.getValue().tryAcquire(key).allowed();
            long after = System.currentTimeMillis();
            if (allowed) {
              grants.add("GRANT " + limiter.getKey() + " " + before + " " + after);
            }
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
    }
    for (Thread thread : threads) {
      thread.join();
    }
    grants.forEach(System.out::println);
    System.out.println("DONE");
    manager.close();
    System.exit(0);
  }
}
