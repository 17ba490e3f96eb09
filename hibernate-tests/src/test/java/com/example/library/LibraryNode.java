package com.example.library;

import io.github.cachelayer.cache.CacheLayerCache;
import io.github.cachelayer.management.NearCacheStatistics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;
import javax.cache.CacheManager;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.cache.spi.RegionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;

/**
 * A node of the library application: one JVM with one or more Hibernate SessionFactories on a
 * shared H2 database, the second-level cache configured by {@code hibernate-cache.properties}
 * only. Reads commands ({@code <seq> <factory> <command> <args...>}) from standard input and
 * answers each with a line {@code => <seq> <result>}.
 *
 * <p>Arguments: the JDBC URL, the number of SessionFactories, {@code seed} to create and fill
 * the schema (else {@code none}), then extra Hibernate properties as {@code key=value}.
 */
public final class LibraryNode {
  public static void main(String[] args) {
    try {
      serve(args);
    } catch (Throwable failure) {
      // The Redis client's threads would keep a failed node alive: say why and exit.
      failure.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void serve(String[] args) throws Exception {
    Properties properties = new Properties();
    try (InputStream in = LibraryNode.class.getResourceAsStream("/hibernate-cache.properties")) {
      properties.load(in);
    }
    properties.setProperty("hibernate.connection.url", args[0]);
    properties.setProperty("hibernate.connection.username", "sa");
    properties.setProperty("hibernate.hbm2ddl.auto", args[2].equals("seed") ? "create" : "none");
    properties.setProperty("hibernate.generate_statistics", "true");
    for (int i = 3; i < args.length; i++) {
      String[] pair = args[i].split("=", 2);
      properties.setProperty(pair[0], pair[1]);
    }
    List<SessionFactory> factories = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(args[1]); i++) {
      factories.add(new Configuration().addAnnotatedClass(Book.class).addProperties(properties)
          .buildSessionFactory());
    }
    if (args[2].equals("seed")) {
      factories.get(0).inTransaction(session -> {
        session.persist(new Book(1L, "978-0441013593", "Dune", Genre.SCIENCE_FICTION,
            LocalDate.of(1965, 8, 1)));
        session.persist(new Book(2L, "978-0156027601", "Solaris", Genre.SCIENCE_FICTION,
            LocalDate.of(1961, 1, 1)));
        session.persist(new Book(3L, "978-0141439518", "Emma", Genre.CLASSIC,
            LocalDate.of(1815, 12, 23)));
      });
    }
    System.out.println("READY");
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null; ) {
      String[] words = line.trim().split(" ");
      String answer;
      try {
        answer = run(factories.get(Integer.parseInt(words[1])), words);
      } catch (RuntimeException e) {
        StringBuilder causes = new StringBuilder("ERROR");
        for (Throwable t = e; t != null; t = t.getCause()) {
          causes.append(" | ").append(t);
        }
        e.printStackTrace();
        answer = causes.toString();
      }
      System.out.println("=> " + words[0] + " " + answer);
      if (words[2].equals("quit")) {
        break;
      }
    }
    factories.forEach(SessionFactory::close);
  }

  private static String run(SessionFactory factory, String[] words) {
    Function<Session, String> action = switch (words[2]) {
      case "find" -> session -> {
        Book book = session.find(Book.class, Long.valueOf(words[3]));
        return book == null ? "null" : book.getTitle();
      };
      case "natural" -> session -> session.bySimpleNaturalId(Book.class).load(words[3])
          .getTitle();
      case "tags" -> session -> String.join(",",
          new TreeSet<>(session.find(Book.class, Long.valueOf(words[3])).getTags()));
      case "query" -> session -> String.join(",", session
          .createSelectionQuery("select b.title from Book b where b.genre = :genre order by b.id",
              String.class)
          .setParameter("genre", Genre.valueOf(words[3])).setCacheable(true).getResultList());
      case "older" -> session -> String.join(",", session
          .createSelectionQuery("select b.title from Book b where b.published < :before "
              + "order by b.id", String.class)
          .setParameter("before", LocalDate.parse(words[3])).setCacheable(true).getResultList());
      case "stats" -> session -> stats(factory.getStatistics());
      case "near" -> session -> nearHits(factory);
      case "quit" -> session -> "bye";
      default -> null;
    };
    if (action != null) {
      try (Session session = factory.openSession()) {
        return action.apply(session);
      }
    }
    return factory.fromTransaction(session -> switch (words[2]) {
      case "rename" -> {
        session.find(Book.class, Long.valueOf(words[3])).setTitle(words[4]);
        yield "ok";
      }
      case "tag" -> {
        session.find(Book.class, Long.valueOf(words[3])).getTags().add(words[4]);
        yield "ok";
      }
      case "bulk" -> String.valueOf(session
          .createMutationQuery("update Book b set b.title = concat(b.title, :suffix)")
          .setParameter("suffix", words[3]).executeUpdate());
      case "clear-stats" -> {
        factory.getStatistics().clear();
        yield "ok";
      }
      default -> throw new IllegalArgumentException("unknown command " + words[2]);
    });
  }

  /** The Book entity region's counts (ehit...), then all regions' (l2hit...) and queries'. */
  private static String stats(Statistics s) {
    var book = s.getEntityStatistics(Book.class.getName());
    return "ehit=" + book.getCacheHitCount() + ",emiss=" + book.getCacheMissCount()
        + ",eput=" + book.getCachePutCount() + ",l2hit=" + s.getSecondLevelCacheHitCount() + ",l2miss="
        + s.getSecondLevelCacheMissCount() + ",l2put=" + s.getSecondLevelCachePutCount()
        + ",qhit=" + s.getQueryCacheHitCount() + ",qmiss=" + s.getQueryCacheMissCount()
        + ",qput=" + s.getQueryCachePutCount() + ",nhit=" + s.getNaturalIdCacheHitCount()
        + ",nmiss=" + s.getNaturalIdCacheMissCount();
  }

  /**
   * Reads CacheLayer answered from its near caches, over every region (provider-specific: the
   * application itself needs none of this).
   */
  private static String nearHits(SessionFactory factory) {
    CacheManager manager = ((JCacheRegionFactory) factory.unwrap(SessionFactoryImplementor.class)
        .getServiceRegistry().getService(RegionFactory.class)).getCacheManager();
    long hits = 0;
    for (String name : manager.getCacheNames()) {
      NearCacheStatistics near = manager.getCache(name).unwrap(CacheLayerCache.class)
          .nearCacheStatistics();
      hits += near == null ? 0 : near.hits();
    }
    return String.valueOf(hits);
  }

  private LibraryNode() {}
}
