package io.github.cachelayer.management;

/**
 * What a cache's near cache did since the cache was created. Its hits are also the cache's hits
 * in the JCache statistics; these say how many of them cost no round trip.
 *
 * @param hits reads answered from a local copy
 * @param misses reads that went to Redis while the near cache served (copies kept from them)
 * @param invalidations keys Redis said changed, counted once their copies were dropped
 * @param flushes times every copy was dropped (connection lost or replaced, FLUSHALL, clear)
 * @param size copies held now (estimated)
 * @param serving whether copies are served now (every master's invalidations proven current)
 */
public record NearCacheStatistics(long hits, long misses, long invalidations, long flushes,
    long size, boolean serving) {}
