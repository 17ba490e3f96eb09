package io.github.cachelayer;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The package rules each package-info states ("owns ... must not import ..."), checked on the
 * compiled provider: the layers go down (root → cache/local/redis → store → foundations), Redis
 * mode stays under {@code redis}, and only {@code redis.helpers} knows the helpers' types.
 */
class PackageRulesTest {
  private static final String BASE = "io.github.cachelayer";
  private static final JavaClasses PROVIDER =
      new ClassFileImporter().importPath(Path.of("target/classes"));

  /** Foundations every layer may use; they use none of the layers. */
  private static final String[] FOUNDATIONS = {
      BASE + ".codec..", BASE + ".config..", BASE + ".credentials..", BASE + ".event..",
      BASE + ".management..", BASE + ".util.."};
  private static final String[] HELPERS = {
      BASE + ".session..", BASE + ".ratelimit..", BASE + ".helpers.."};

  private static void mustNotUse(String owner, String reason, String... packages) {
    noClasses().that().resideInAPackage(owner)
        .should().dependOnClassesThat().resideInAnyPackage(packages)
        .because(reason)
        .check(PROVIDER);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching(BASE + ".(**)").should().beFreeOfCycles()
        .ignoreDependency(alwaysTrue(), equivalentTo(RedisUnavailableException.class))
        .check(PROVIDER);
  }

  @Test
  void theRootIsTheTopExceptForItsException() {
    noClasses().that().resideOutsideOfPackage(BASE)
        .should().dependOnClassesThat(resideInAPackage(BASE)
            .and(not(equivalentTo(RedisUnavailableException.class))))
        .because("the root holds the provider and manager, which choose everything below; "
            + "lower layers may only throw its public exception")
        .check(PROVIDER);
  }

  @Test
  void foundationsUseNoLayer() {
    for (String foundation : FOUNDATIONS) {
      mustNotUse(foundation, "foundations sit below the store and both modes",
          BASE + ".store..", BASE + ".cache..", BASE + ".local..", BASE + ".redis..",
          BASE + ".internal..", HELPERS[0], HELPERS[1], HELPERS[2]);
    }
  }

  @Test
  void theStorageContractKnowsNoCacheAndNoMode() {
    mustNotUse(BASE + ".store..", "a store is below the JCache semantics and either mode",
        BASE + ".cache..", BASE + ".local..", BASE + ".redis..", BASE + ".internal..");
  }

  @Test
  void theCacheIsWrittenOnceAboveTheStore() {
    mustNotUse(BASE + ".cache..", "the JCache semantics are written once, for every store",
        BASE + ".local..", BASE + ".redis..", BASE + ".internal..");
  }

  @Test
  void fallbackModeKnowsNothingOfRedis() {
    mustNotUse(BASE + ".local..", "fallback mode runs with no Redis at all",
        BASE + ".redis..", BASE + ".internal..", BASE + ".cache..");
  }

  @Test
  void redisModeGoesDownItsOwnLayers() {
    String wiring = BASE + ".redis";
    mustNotUse(BASE + ".redis.link..", "the link is the bottom of Redis mode",
        wiring, BASE + ".redis.store..", BASE + ".redis.outage..", BASE + ".redis.near..",
        BASE + ".redis.helpers..", BASE + ".store..", BASE + ".cache..");
    mustNotUse(BASE + ".redis.socket..", "CacheLayer's own sockets sit at the bottom",
        wiring, BASE + ".redis.link..", BASE + ".redis.store..", BASE + ".redis.outage..",
        BASE + ".redis.near..", BASE + ".redis.helpers..", BASE + ".internal..",
        BASE + ".store..", BASE + ".cache..", BASE + ".local..");
    mustNotUse(BASE + ".redis.outage..", "failure settling sits below the store it settles for",
        wiring, BASE + ".redis.store..", BASE + ".redis.near..", BASE + ".redis.helpers..",
        BASE + ".cache..");
    mustNotUse(BASE + ".redis.store..", "the Redis store knows no near cache or helper",
        wiring, BASE + ".redis.near..", BASE + ".redis.helpers..", BASE + ".cache..",
        BASE + ".local..");
    mustNotUse(BASE + ".redis.near..", "the near cache wraps any store",
        wiring, BASE + ".redis.store..", BASE + ".redis.outage..", BASE + ".redis.helpers..",
        BASE + ".cache..", BASE + ".local..");
    mustNotUse(BASE + ".redis.helpers..", "the helpers' scripts plug into the Redis store",
        wiring, BASE + ".redis.near..", BASE + ".redis.outage..", BASE + ".cache..",
        BASE + ".local..");
  }

  @Test
  void onlyRedisModeUsesTheRedisClient() {
    noClasses().that().resideOutsideOfPackage(BASE + ".redis..")
        .should().dependOnClassesThat().resideInAPackage(BASE + ".internal..")
        .because("the shaded Redisson client is Redis mode's business alone")
        .check(PROVIDER);
  }

  @Test
  void onlyTheHelpersScriptsKnowSessionsAndLimits() {
    noClasses().that().resideOutsideOfPackage(BASE + ".redis.helpers..")
        .should().dependOnClassesThat().resideInAnyPackage(HELPERS)
        .because("a new session field changes the helpers module and redis.helpers, nothing else")
        .check(PROVIDER);
  }
}
