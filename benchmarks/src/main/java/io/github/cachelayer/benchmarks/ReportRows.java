package io.github.cachelayer.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Rows the reports share: a ratio of two medians against its target, and raw throughput. */
final class ReportRows {
  private ReportRows() {}

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
