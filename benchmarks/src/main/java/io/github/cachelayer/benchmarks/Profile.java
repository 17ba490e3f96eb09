package io.github.cachelayer.benchmarks;

import java.util.List;

/**
 * How much to measure. quick (about 25 minutes): the operations the targets name, 1/8/32
 * threads; full (hours): every operation, both values, three interleaved rounds. smoke: CI's
 * proof that the suite still runs. Warm-up is long enough for C2 to finish with the Redis
 * client: with 1 s of warm-up the compiler still took 40% of the CPU in the measured seconds
 * (async-profiler), which favoured the peers with less code to compile.
 */
record Profile(String name, List<Integer> threads, List<String> stringOperations,
    List<String> pojoOperations, List<String> rawOperations, int rounds, int warmups,
    int warmupSeconds, int iterations, int secondsPerIteration, List<String> providers,
    List<String> rawClients) {

  static final List<String> ALL_PROVIDERS = List.of("cachelayer-redis", "redisson-jcache-tuned",
      "redisson-jcache-default", "cachelayer-fallback", "caffeine-jcache");
  static final List<String> ALL_OPERATIONS = List.of("getHit", "getMiss", "put",
      "putCreatedExpiry", "getAccessedExpiry", "putIfAbsent", "replace", "removeMiss",
      "invokeIncrement", "getAll100", "putAll100", "removeAll100");
  static final List<String> ALL_RAW_CLIENTS = List.of("redisson-bucket-tuned",
      "redisson-bucket-default", "lettuce", "jedis");

  static Profile of(String name) {
    return switch (name) {
      case "quick" -> new Profile(name, List.of(1, 8, 32),
          List.of("getHit", "put", "putCreatedExpiry", "getAccessedExpiry", "invokeIncrement",
              "getAll100", "putAll100"),
          List.of("getHit", "put"), List.of("get", "put"), 1, 3, 2, 3, 1, ALL_PROVIDERS,
          ALL_RAW_CLIENTS);
      case "full" -> new Profile(name, List.of(1, 8, 32), ALL_OPERATIONS, ALL_OPERATIONS,
          List.of("get", "put"), 3, 4, 2, 3, 2, ALL_PROVIDERS, ALL_RAW_CLIENTS);
      // Proof that the suite runs: one operation, both CacheLayer modes and two raw clients.
      case "smoke" -> new Profile(name, List.of(1), List.of("getHit"), List.of(),
          List.of("get"), 1, 0, 1, 1, 1, List.of("cachelayer-redis", "cachelayer-fallback"),
          List.of("lettuce", "jedis"));
      default -> throw new IllegalArgumentException("profile must be quick, full or smoke: " + name);
    };
  }
}
