package io.github.cachelayer.tiers;

import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The rest of the slow tier on the machine's Redis: the near cache (RESP2, the default), the
 * helpers, several JVMs, skewed clocks, the outage policy. See
 * {@link SlowTier1FaultsOnRedis62Suite} for the numbering.
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages("io.github.cachelayer")
@ExcludePackages({"io.github.cachelayer.redis.store", "io.github.cachelayer.redis.link"})
@IncludeTags({"fault", "multi-jvm", "slow"})
public class SlowTier3EverythingElseSuite {}
