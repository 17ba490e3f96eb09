package io.github.cachelayer.tiers;

import java.util.Map;
import org.junit.platform.suite.api.BeforeSuite;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The whole near-cache suite with invalidations pushed over RESP3 (what managed Redis offers) on
 * the machine's Redis; the fast and slow tiers run it over RESP2. See
 * {@link SlowTier1FaultsOnRedis62Suite} for the numbering.
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages("io.github.cachelayer.redis.near")
@IncludeClassNamePatterns(".*\\.NearCache\\w*Test")
public class SlowTier5NearCacheResp3Suite extends RestoresSettings {
  @BeforeSuite
  static void resp3() {
    SuiteSettings.set(Map.of("cachelayer.redis.near-cache.protocol", "resp3"));
  }
}
