package io.github.cachelayer.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The starter is an integration like any other: it reads outage state, near-cache statistics and
 * health through the public view ({@code CacheLayerCache}, {@code CacheLayer}, the
 * {@code management} records), never by unwrapping an internal layer.
 */
class PublicApiOnlyTest {
  @Test
  void theStarterUsesOnlyThePublicApi() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.github.cachelayer.store..", "io.github.cachelayer.local..",
            "io.github.cachelayer.redis..", "io.github.cachelayer.util..",
            "io.github.cachelayer.internal..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName(
            "io.github.cachelayer.config.ManagerSettings")
        .because("internal layers may change shape in any release")
        .check(new ClassFileImporter().importPath(Path.of("target/classes")));
  }
}
