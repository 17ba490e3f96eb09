package io.github.cachelayer.tiers;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The slow tier's tests of the Redis store and its connections (kills, freezes, failovers, the
 * proxy's faults, round trips counted) on the machine's Redis. See
 * {@link SlowTier1FaultsOnRedis62Suite} for the numbering.
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages({"io.github.cachelayer.redis.store", "io.github.cachelayer.redis.link"})
@IncludeTags({"fault", "multi-jvm", "slow"})
public class SlowTier2StoreAndLinkSuite {}
