package io.github.cachelayer.testing.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds a redis-server: the PATH's (or REDIS_SERVER_BINARY), else the one embedded-redis ships
 * (Redis 6.2, the oldest CacheLayer supports). The system property
 * {@code test.redis.binary=embedded} asks for the embedded one whatever the PATH holds: the build's
 * Redis 6.2 runs. The property is read at every call: one JVM may run a suite on each (the slow
 * tier's suites on Redis 6.2 share forks with those on the machine's Redis).
 */
public final class RedisBinary {
  private static Path embedded;
  private static Path machines;

  private RedisBinary() {}

  public static synchronized Path path() {
    if ("embedded".equals(System.getProperty("test.redis.binary"))) {
      if (embedded == null) {
        embedded = extractEmbedded();
      }
      return embedded;
    }
    if (machines == null) {
      machines = locate();
    }
    return machines;
  }

  private static Path locate() {
    String explicit = System.getenv("REDIS_SERVER_BINARY");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Path.of(explicit);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return extractEmbedded();
  }

  private static Path extractEmbedded() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    String resource;
    if (os.contains("linux")) {
      resource = arch.contains("aarch64") || arch.contains("arm64")
          ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    } else if (os.contains("mac")) {
      resource = arch.contains("aarch64") || arch.contains("arm64")
          ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    } else {
      throw new IllegalStateException("No redis-server on the PATH and no embedded binary for "
          + os + "/" + arch);
    }
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("No redis-server on the PATH and the embedded-redis "
            + "artifact lacks " + resource);
      }
      Path dir = Files.createTempDirectory("cachelayer-redis-bin");
      Path binary = dir.resolve("redis-server");
      Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
      binary.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
