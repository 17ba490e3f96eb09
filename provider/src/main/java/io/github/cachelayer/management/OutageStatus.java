package io.github.cachelayer.management;

import io.github.cachelayer.config.OutagePolicy;

/**
 * A Redis-mode cache's outage state since the cache was created: what its policy does when Redis
 * cannot serve an operation, whether it is doing so now, and how often it had to.
 *
 * @param policy what operations do while Redis does not serve them
 * @param inOutage whether the last operation found Redis unavailable (none since was served)
 * @param redisFailures operations Redis could not serve, whatever the policy did then
 * @param answeredWithoutRedis operations the policy answered instead of Redis ({@code bypass}
 *     and {@code local}; always 0 under {@code fail})
 */
public record OutageStatus(OutagePolicy policy, boolean inOutage, long redisFailures,
    long answeredWithoutRedis) {}
