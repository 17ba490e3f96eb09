package io.github.cachelayer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Java installations of the machine, for tests that run a node on another Java than their
 * own: {@code -Dcachelayer.test.jdk<N>=<home>}, else {@code JAVA<N>_HOME}, else a directory under
 * {@code /usr/lib/jvm} whose name carries the version (as Debian's and Temurin's packages name
 * them).
 */
public final class Jdks {
  private static final Path INSTALLED = Path.of("/usr/lib/jvm");

  private Jdks() {}

  public static Optional<Path> find(int feature) {
    String named = System.getProperty("cachelayer.test.jdk" + feature,
        System.getenv("JAVA" + feature + "_HOME"));
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named)).filter(Jdks::hasJava);
    }
    if (!Files.isDirectory(INSTALLED)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(INSTALLED)) {
      return homes.filter(home -> carries(home.getFileName().toString(), feature))
          .filter(Jdks::hasJava).sorted().findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean carries(String name, int feature) {
    return name.matches(".*(?<![0-9])" + feature + "(?![0-9]).*") && !Files.isSymbolicLink(
        INSTALLED.resolve(name));
  }

  private static boolean hasJava(Path home) {
    return Files.isExecutable(home.resolve("bin").resolve("java"))
        && Files.isExecutable(home.resolve("bin").resolve("jfr"));
  }
}
