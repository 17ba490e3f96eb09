package io.github.cachelayer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A node of a multi-JVM test: a JVM of its own on the test's class path, running one main class,
 * with an environment that holds nothing of the machine's Redis or CacheLayer settings beyond what
 * the test gives it. Its output goes to a file, readable while it runs.
 */
public final class JvmNode implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private JvmNode(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * @param environment variables the node gets on top of the cleaned environment
   * @param jvmOptions such as {@code -Dproperty=value}
   */
  public static JvmNode start(String name, Class<?> mainClass, List<String> args,
      Map<String, String> environment, List<String> jvmOptions) {
    return start(name, mainClass, args, environment, jvmOptions,
        Path.of(System.getProperty("java.home")));
  }

  /** As above, on the Java installed at {@code javaHome} (see {@link Jdks}). */
  public static JvmNode start(String name, Class<?> mainClass, List<String> args,
      Map<String, String> environment, List<String> jvmOptions, Path javaHome) {
    List<String> command = new ArrayList<>(List.of(
        javaHome.resolve("bin").resolve("java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    // A suite run under a CacheLayer setting (the near-cache suite in RESP3, say) runs its
    // nodes under it too.
    System.getProperties().stringPropertyNames().stream()
        .filter(key -> key.startsWith("cachelayer.")).sorted()
        .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(args);
    try {
      Path log = Files.createTempFile("node-" + name + "-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("REDIS_")
          || key.startsWith("CACHELAYER_") || key.startsWith("SPRING_"));
      builder.environment().putAll(environment);
      return new JvmNode(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start node " + name, e);
    }
  }

  /** Sends a line to the node's standard input. */
  public void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new AssertionError("Node " + name + " does not take input:\n" + output(), e);
    }
  }

  /** The first line of the output that starts with {@code prefix}, waiting for it to appear. */
  public String awaitLine(String prefix, Duration timeout) {
    String[] found = new String[1];
    awaitReady(() -> {
      for (String line : output().split("\n")) {
        if (line.startsWith(prefix)) {
          found[0] = line;
          return true;
        }
      }
      return false;
    }, timeout);
    return found[0];
  }

  /** Everything the node printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node's process id (for jcmd). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until {@code ready} holds, polling; fails with the node's output if it exits without
   * it holding, or the time runs out.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // Liveness first, then the condition: a node that printed what was awaited and exited
      // right after is ready, not failed.
      boolean alive = process.isAlive();
      if (ready.getAsBoolean()) {
        return;
      }
      if (!alive) {
        throw new AssertionError("Node " + name + " exited (" + process.exitValue() + "):\n"
            + output());
      }
      sleep(20);
    }
    throw new AssertionError("Node " + name + " not ready within " + timeout + ":\n" + output());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    Processes.stop(process);
  }

  /** Kills the node at once (SIGKILL), as a crash would: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "JvmNode[" + name + ", log " + log + "]";
  }
}
