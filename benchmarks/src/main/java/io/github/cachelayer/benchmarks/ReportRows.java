package io.github.cachelayer.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the reports share: their heading (machine and JMH set-up), a ratio of two medians against
 * its target, and raw throughput.
 */
final class ReportRows {
  private ReportRows() {}

  /**
   * "# title, date", then the machine and JMH set-up up to the iterations' length, for the
   * report to go on (its own remarks, then ".").
   *
   * @param onOneMachine what shares the machine, such as "client and redis-server"
   * @param rounds interleaved rounds, or 0 for a report that runs one
   */
  static StringBuilder heading(String title, String onOneMachine, int rounds, int warmups,
      int iterations, int seconds) {
    StringBuilder md = new StringBuilder("# " + title + ", "
        + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "\n\n")
        .append("Machine: ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ").append(System.getProperty("java.version")).append("; ")
        .append(onOneMachine).append(" on the same machine. JMH: one fork per combination, ");
    if (rounds > 0) {
      md.append(rounds).append(" interleaved round(s) of ");
    }
    return md.append(warmups).append(" warm-up and ").append(iterations)
        .append(" measured iterations of ").append(seconds).append(" s");
  }

  /** The command that writes the report. */
  static void command(StringBuilder md, String profile) {
    md.append("Command: `./mvnw -q -pl benchmarks -am package -DskipTests exec:exec ")
        .append("-Dbench.profile=").append(profile).append("`.\n\n");
  }

  static Optional<Measurement> find(List<Measurement> all, String operation, String subject,
      int threads) {
    return all.stream().filter(m -> m.subject().equals(subject) && m.threads() == threads
        && m.operation().equals(operation)).findFirst();
  }

  /** A row {@code | name | threads | ratio | target | verdict |}; nothing if a side is missing. */
  static void ratio(StringBuilder md, String name, int threads, Optional<Measurement> ours,
      Optional<Measurement> theirs, double target) {
    if (ours.isEmpty() || theirs.isEmpty()) {
      return;
    }
    double ratio = ours.get().median() / theirs.get().median();
    String verdict = target == 0 ? "" : ratio >= target ? "met"
        : String.format(Locale.ROOT, "missed by %.0f%%", 100 * (target - ratio) / target);
    md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %s |%n", name, threads, ratio,
        target == 0 ? "" : String.format(Locale.ROOT, ">= %.1f", target), verdict));
  }

  /** The table of every measurement: median, min and max over rounds and iterations. */
  static void throughput(StringBuilder md, List<Measurement> all) {
    md.append("\n## Throughput (ops/s: median, min–max)\n\n")
        .append("| operation | subject | threads | median | min | max |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Measurement m : all) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f |%n",
          m.operation(), m.subject(), m.threads(), m.median(), m.min(), m.max()));
    }
  }
}
