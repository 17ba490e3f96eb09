package io.github.cachelayer.hibernate;

import com.example.library.LibraryNode;
import io.github.cachelayer.testing.JvmNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link LibraryNode} JVM, asked one command at a time. */
final class LibraryProcess implements AutoCloseable {
  private final JvmNode jvm;
  private int sequence;

  private LibraryProcess(JvmNode jvm) {
    this.jvm = jvm;
  }

  static LibraryProcess start(String name, String jdbcUrl, int sessionFactories, boolean seed,
      Map<String, String> environment, String... extraProperties) {
    return start(name, jdbcUrl, sessionFactories, seed, environment, List.of(), extraProperties);
  }

  /** @param jvmOptions such as CacheLayer's system properties, {@code -Dcachelayer...} */
  static LibraryProcess start(String name, String jdbcUrl, int sessionFactories, boolean seed,
      Map<String, String> environment, List<String> jvmOptions, String... extraProperties) {
    List<String> args = new ArrayList<>(List.of(jdbcUrl, String.valueOf(sessionFactories),
        seed ? "seed" : "none"));
    args.addAll(List.of(extraProperties));
    LibraryProcess node = new LibraryProcess(
        JvmNode.start(name, LibraryNode.class, args, environment, jvmOptions));
    try {
      node.jvm.awaitLine("READY", Duration.ofSeconds(90));
    } catch (RuntimeException | Error notReady) {
      node.close(); // the test never gets the node to close it
      throw notReady;
    }
    return node;
  }

  /** Runs {@code command} on SessionFactory {@code factory}; fails on an error answer. */
  String ask(int factory, String command) {
    int seq = ++sequence;
    jvm.send(seq + " " + factory + " " + command);
    String line = jvm.awaitLine("=> " + seq + " ", Duration.ofSeconds(60));
    String answer = line.substring(("=> " + seq + " ").length());
    if (answer.startsWith("ERROR")) {
      throw new AssertionError(command + " failed: " + answer + "\n" + jvm.output());
    }
    return answer;
  }

  String ask(String command) {
    return ask(0, command);
  }

  String output() {
    return jvm.output();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
