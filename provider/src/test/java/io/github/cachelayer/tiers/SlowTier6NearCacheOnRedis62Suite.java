package io.github.cachelayer.tiers;

import org.junit.platform.suite.api.ExcludeTags;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The near-cache suite and the credential tests on Redis 6.2 with the protocol chosen by
 * {@code auto} (RESP2 there; the suite's own test of a server that refuses {@code REDIRECT} sees
 * {@code auto} choose RESP3), but for their fault tests, which
 * {@link SlowTier1FaultsOnRedis62Suite} runs (see it for the numbering).
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages("io.github.cachelayer.redis.near")
@SelectClasses(names = "io.github.cachelayer.redis.CredentialsRenewalTest")
@ExcludeTags("fault")
public class SlowTier6NearCacheOnRedis62Suite extends OnRedis62 {}
