package io.github.cachelayer.tiers;

import java.util.Map;
import org.junit.platform.suite.api.BeforeSuite;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The whole near-cache suite (every tier: other nodes' writes, expiry, eviction, FLUSHALL, kills,
 * freezes, a cluster's and a Sentinel's change of masters, races, other JVMs) with invalidations
 * pushed over RESP3, on Redis 6.2. See {@link SlowTier1FaultsOnRedis62Suite} for the numbering.
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages("io.github.cachelayer.redis.near")
@IncludeClassNamePatterns(".*\\.NearCache\\w*Test")
public class SlowTier4NearCacheResp3OnRedis62Suite extends RestoresSettings {
  @BeforeSuite
  static void onRedis62OverResp3() {
    SuiteSettings.onOldestRedis(Map.of("cachelayer.redis.near-cache.protocol", "resp3"));
  }
}
