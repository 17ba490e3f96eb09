package io.github.cachelayer.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.cachelayer.config.ManagerSettings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code block of the README and the guides in docs/ is compiled, run or loaded by a test:
 * <ul>
 *   <li>{@code java}: the same lines stand between doc markers in a test of this package, or in
 *       an application the starter's tests run (com.example), which compile and run them;</li>
 *   <li>{@code hocon}: loaded as a configuration file by {@link ManagerSettings}, which parses
 *       every declared cache (unknown keys and classes fail);</li>
 *   <li>{@code properties}: each setting is one the Spring Boot or Hibernate tests run with;</li>
 *   <li>{@code xml}: each artifact is a module of this build or a dependency the tests use.</li>
 * </ul>
 * {@code bash} blocks are the commands themselves (CI runs {@code ./mvnw verify}).
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK = Pattern.compile("(?m)^```(\\w+)\\n(.*?)^```$",
      Pattern.DOTALL);
  private static final Pattern REGION = Pattern.compile(
      "(?m)^[ \\t]*// doc:([\\w-]+)\\n(.*?)^[ \\t]*// end doc$", Pattern.DOTALL);

  @TempDir
  Path temp;

  record Block(Path file, String language, String text) {
    String name() {
      return ROOT.relativize(file) + " (" + language + ": " + text.lines().findFirst().orElse("")
          + ")";
    }
  }

  static List<Block> blocks() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Block> blocks = new ArrayList<>();
    for (Path file : files) {
      Matcher matcher = BLOCK.matcher(Files.readString(file));
      while (matcher.find()) {
        blocks.add(new Block(file, matcher.group(1), matcher.group(2)));
      }
    }
    return blocks;
  }

  @TestFactory
  Stream<DynamicTest> everyBlockIsCheckedByATest() throws IOException {
    List<Block> blocks = blocks();
    assertTrue(blocks.size() >= 15, "the docs' blocks were not found: " + blocks.size());
    Map<String, String> regions = regions();
    Map<String, String> testedSettings = testedSettings();
    String poms = poms();
    return blocks.stream().map(block -> DynamicTest.dynamicTest(block.name(), () -> {
      switch (block.language()) {
        case "java" -> assertTrue(regions.containsValue(normalized(block.text())),
            "no test runs this block as written (mark the lines with // doc:<name> in "
                + "provider/src/test/java/io/github/cachelayer/docs)");
        case "hocon" -> load(block.text());
        case "properties" -> {
          Properties properties = new Properties();
          properties.load(new StringReader(block.text()));
          assertFalse(properties.isEmpty());
          for (String key : properties.stringPropertyNames()) {
            assertEquals(testedSettings.get(key), properties.getProperty(key),
                key + " is not a setting the Spring Boot or Hibernate tests run with");
          }
        }
        case "xml" -> {
          Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>")
              .matcher(block.text());
          assertTrue(artifact.find(), "no artifact");
          do {
            assertTrue(poms.contains("<artifactId>" + artifact.group(1) + "</artifactId>"),
                artifact.group(1) + " is neither a module nor a dependency of the tests");
          } while (artifact.find());
        }
        case "bash" -> { }
        default -> fail("no check for " + block.language() + " blocks");
      }
    }));
  }

  /** A block of configuration, as the file a manager's URI names (placeholders filled in). */
  private void load(String hocon) throws IOException {
    String file = hocon.replace("{ ... }", "{ }");
    Path path = Files.writeString(temp.resolve("doc-" + System.nanoTime() + ".conf"), file);
    String key = Base64.getEncoder().encodeToString(new byte[16]);
    ManagerSettings settings = ManagerSettings.load(path.toUri(), false,
        DocSnippetsTest.class.getClassLoader(),
        Map.of("USERS_CACHE_KEY_1", key, "USERS_CACHE_KEY_2", key));
    for (String cache : settings.declaredCacheNames()) {
      assertTrue(settings.declaredCache(cache) != null, cache);
    }
  }

  /** Where examples stand: this package, and the applications the starter's tests run. */
  private static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    List<Path> sources = new ArrayList<>();
    for (Path folder : List.of(Path.of("src/test/java/io/github/cachelayer/docs"),
        ROOT.resolve("spring-boot-starter/src/test/java/com/example"))) {
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
      }
    }
    for (Path source : sources) {
      Matcher matcher = REGION.matcher(Files.readString(source));
      while (matcher.find()) {
        regions.put(matcher.group(1), normalized(matcher.group(2)));
      }
    }
    assertFalse(regions.isEmpty());
    return regions;
  }

  /** The lines without their common indentation and trailing blanks. */
  static String normalized(String code) {
    List<String> lines = code.lines().map(String::stripTrailing).collect(Collectors.toList());
    int indent = lines.stream().filter(l -> !l.isEmpty())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isEmpty() ? l : l.substring(indent))
        .collect(Collectors.joining("\n")).strip();
  }

  private static Map<String, String> testedSettings() throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String resource : List.of(
        "spring-boot-starter/src/test/resources/application.properties",
        "spring-boot-starter/src/test/resources/limits.properties",
        "hibernate-tests/src/test/resources/hibernate-cache.properties")) {
      Properties properties = new Properties();
      properties.load(new StringReader(Files.readString(ROOT.resolve(resource))));
      properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
    }
    return settings;
  }

  private static String poms() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.collect(Collectors.toList())) {
        Path pom = module.resolve("pom.xml");
        if (Files.exists(pom)) {
          all.append(Files.readString(pom));
        }
      }
    }
    return all.toString();
  }
}
