package io.github.cachelayer.tiers;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every fault test (Redis killed, frozen, failed over, cut off, stalled by a proxy; credentials
 * rotating) on Redis 6.2, the oldest CacheLayer supports, with the near cache's protocol chosen
 * by {@code auto} (RESP2 there).
 *
 * <p>The slow tier runs as numbered suites in two forks, which take the next suite as they free
 * up: the numbers are the dispatch order, longest first, so that the forks end together.
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages("io.github.cachelayer")
@IncludeTags("fault")
public class SlowTier1FaultsOnRedis62Suite extends OnRedis62 {}
