package io.github.cachelayer.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.redis.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hibernate ORM 7 with its JCache second-level cache on CacheLayer, configured by
 * {@code hibernate-cache.properties} alone: READ_WRITE entities, a cached collection, natural
 * ids and cached queries, on one H2 file database, each node a JVM of its own.
 */
@Tag("multi-jvm") // Hibernate nodes in their own JVMs
class HibernateNodesTest {
  private static final String DUNE_ISBN = "978-0441013593";

  @TempDir
  Path directory;

  private String jdbcUrl() {
    return "jdbc:h2:file:" + directory.resolve("library") + ";AUTO_SERVER=TRUE";
  }

  /**
   * With {@code near} every region also keeps a near cache on each node. A node then sees
   * another's change once Redis's invalidation reached it (well under a millisecond here); the
   * test asks the next node only after reading the first one's answer from its log, which takes
   * longer than that, as a person or a load balancer would.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "redis with near caches"})
  void twoNodesOnOneRedisNeverReadStale(String mode) {
    List<String> options = mode.contains("near")
        ? List.of("-Dcachelayer.default.near-cache.maximum.size=1000") : List.of();
    try (RedisServer redis = RedisServer.start()) {
      Map<String, String> environment = Map.of("REDIS_URL", redis.url());
      try (LibraryProcess a = LibraryProcess.start("a", jdbcUrl(), 1, true, environment, options);
          LibraryProcess b = LibraryProcess.start("b", jdbcUrl(), 1, false, environment,
              options)) {
        assertEquals("Dune", a.ask("find 1"));
        b.ask("clear-stats");
        assertEquals("Dune", b.ask("find 1"));
        assertStats(b, "ehit=1,emiss=0,eput=0", "B reads the entity A cached");

        a.ask("rename 1 Arrakis");
        assertEquals("Arrakis", b.ask("find 1"), "an entity update on A is seen by B");
        assertEquals("Arrakis", b.ask("natural " + DUNE_ISBN), "by natural id too");

        assertEquals("3", a.ask("bulk !"));
        assertEquals("Arrakis!", b.ask("find 1"), "an HQL bulk update on A is seen by B");
        assertEquals("Emma!", b.ask("find 3"));

        b.ask("clear-stats");
        assertEquals("Arrakis!,Solaris!,Emma!", a.ask("older 1970-01-01"));
        assertEquals("Arrakis!,Solaris!,Emma!", b.ask("older 1970-01-01"));
        assertStats(b, "qhit=1,qmiss=0", "B reads the query result A cached");
        a.ask("rename 2 Solaris2");
        assertEquals("Arrakis!,Solaris2,Emma!", b.ask("older 1970-01-01"),
            "A's update invalidates the cached query on B");
        assertStats(b, "qhit=1,qmiss=1", "");
        // Hibernate's query key holds each parameter's hash code, and an enum's differs per
        // JVM: such a query is cached per node, and still never stale.
        assertEquals("Arrakis!,Solaris2", a.ask("query SCIENCE_FICTION"));
        assertEquals("Arrakis!,Solaris2", b.ask("query SCIENCE_FICTION"));
        a.ask("rename 1 Dune");
        assertEquals("Dune,Solaris2", b.ask("query SCIENCE_FICTION"));

        assertEquals("", b.ask("tags 1"));
        a.ask("tag 1 classic");
        assertEquals("classic", b.ask("tags 1"), "a collection change on A is seen by B");

        if (mode.contains("near")) {
          long before = Long.parseLong(b.ask("near"));
          assertEquals("Dune", b.ask("find 1"));
          assertEquals("Dune", b.ask("find 1"));
          assertTrue(Long.parseLong(b.ask("near")) >= before + 2,
              "B's repeated reads come from its near cache");
          long connections = String.valueOf(redis.call("CLIENT", "LIST")).lines()
              .filter(line -> line.contains("name=cachelayer-near-cache")).count();
          assertEquals(2, connections, "one invalidation connection per node for all regions");
        }
        for (LibraryProcess node : new LibraryProcess[] {a, b}) {
          assertClean(node.output());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fallback", "redis"})
  void twoSessionFactoriesInOneJvmNeverReadStale(String mode) {
    try (RedisServer redis = mode.equals("redis") ? RedisServer.start() : null) {
      Map<String, String> environment = redis == null ? Map.of()
          : Map.of("REDIS_URL", redis.url());
      try (LibraryProcess node = LibraryProcess.start(mode, jdbcUrl(), 2, true, environment)) {
        assertEquals("Dune", node.ask(0, "find 1"));
        node.ask(1, "clear-stats");
        assertEquals("Dune", node.ask(1, "find 1"));
        assertStats(node, 1, "ehit=1,emiss=0,eput=0", "the second factory shares the region");

        node.ask(0, "rename 1 Arrakis");
        assertEquals("Arrakis", node.ask(1, "find 1"));
        assertEquals("3", node.ask(0, "bulk !"));
        assertEquals("Arrakis!", node.ask(1, "find 1"));
        assertEquals("Arrakis!,Solaris!", node.ask(0, "query SCIENCE_FICTION"));
        node.ask(0, "rename 2 Solaris2");
        assertEquals("Arrakis!,Solaris2", node.ask(1, "query SCIENCE_FICTION"));
        assertClean(node.output());
      }
    }
  }

  /** Regions are caches by name: CacheLayer's file configures them, without warnings. */
  @Test
  void regionsAreConfiguredByNameInCacheLayersFile() throws InterruptedException {
    try (LibraryProcess node = LibraryProcess.start("regions", jdbcUrl(), 1, true, Map.of(),
        "hibernate.javax.cache.uri=library-cache.conf")) {
      Thread.sleep(2_500); // the file gives the entity region created expiry of 2 s
      node.ask("clear-stats");
      assertEquals("Dune", node.ask("find 1"));
      assertStats(node, "ehit=0,emiss=1,eput=1", "what the seeding cached has expired");
      assertEquals("Dune", node.ask("find 1"));
      assertStats(node, "ehit=1,emiss=1,eput=1", "");
      Thread.sleep(2_500);
      assertEquals("Dune", node.ask("find 1"));
      assertStats(node, "ehit=1,emiss=2,eput=2", "the cached entity expired as the file says");
      assertClean(node.output());
    }
  }

  private static void assertStats(LibraryProcess node, String expected, String message) {
    assertStats(node, 0, expected, message);
  }

  private static void assertStats(LibraryProcess node, int factory, String expected,
      String message) {
    String stats = node.ask(factory, "stats");
    for (String part : expected.split(",")) {
      assertTrue(("," + stats + ",").contains("," + part + ","), message + ": " + stats);
    }
  }

  /** No refusal, no missing-region warning, no exception in the node's log. */
  private static void assertClean(String output) {
    assertFalse(output.contains("is not allowed"), output);
    assertFalse(output.contains("on-the-fly"), output);
    assertFalse(output.contains("Exception"), output);
  }
}
