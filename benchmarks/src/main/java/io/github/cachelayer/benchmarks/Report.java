package io.github.cachelayer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Writes report.md and one SVG chart per operation and value kind. */
final class Report {
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};

  private Report() {}

  static Path write(Path dir, String header, List<Measurement> measurements,
      Map<String, Double> footprint, Map<String, Map<String, List<String>>> trace)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder md = new StringBuilder(header).append('\n');
    md.append(ratios(measurements, footprint));
    Map<String, List<Measurement>> byChart = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      byChart.computeIfAbsent(m.operation() + "-" + m.value(), k -> new ArrayList<>()).add(m);
    }
    md.append("\n## Throughput (ops/s: median of the iterations, min–max)\n");
    for (var chart : byChart.entrySet()) {
      String file = chart.getKey() + ".svg";
      Files.writeString(dir.resolve(file), svg(chart.getKey(), chart.getValue()));
      md.append("\n### ").append(chart.getKey()).append("\n\n![").append(chart.getKey())
          .append("](").append(file).append(")\n\n");
      TreeSet<Integer> threads = chart.getValue().stream().map(Measurement::threads)
          .collect(Collectors.toCollection(TreeSet::new));
      tableHead(md, List.of("who"), threads);
      for (String subject : subjects(chart.getValue())) {
        md.append("| ").append(subject).append(" |");
        for (int t : threads) {
          Optional<Measurement> m = chart.getValue().stream()
              .filter(x -> x.subject().equals(subject) && x.threads() == t).findFirst();
          md.append(' ').append(m.map(x -> String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)",
              x.median(), x.min(), x.max())).orElse("–")).append(" |");
        }
        md.append('\n');
      }
    }
    md.append(allocations(measurements));
    if (!footprint.isEmpty()) {
      md.append("\n## Redis memory per entry\n\nINFO memory `used_memory` delta over ")
          .append(String.format(Locale.ROOT, "%,d", Footprint.ENTRIES))
          .append(" entries of a 100-character string, keys `k0…`.\n\n| who | bytes per entry |\n|---|---:|\n");
      footprint.forEach((who, bytes) -> md.append("| ").append(who).append(" | ")
          .append(String.format(Locale.ROOT, "%.0f", bytes)).append(" |\n"));
    }
    if (!trace.isEmpty()) {
      md.append("\n## Redis commands per operation (MONITOR)\n\nCommands the client sent; "
          + "`(lua)` lines run inside a script on the server.\n");
      for (var provider : trace.entrySet()) {
        md.append("\n### ").append(provider.getKey()).append("\n\n| operation | commands |\n|---|---|\n");
        provider.getValue().forEach((operation, commands) -> md.append("| ").append(operation)
            .append(" | ").append(commands.stream().map(c -> "`" + c.replace("|", "\\|") + "`")
                .collect(Collectors.joining("<br>"))).append(" |\n"));
      }
    }
    Path report = dir.resolve("report.md");
    Files.writeString(report, md.toString());
    return report;
  }

  /**
   * Bytes the whole client JVM allocated per get and put of a string (its Netty threads
   * included), CacheLayer beside the raw clients, per thread count; empty without the gc
   * profiler's figures.
   */
  static String allocations(List<Measurement> all) {
    List<Measurement> measured = all.stream().filter(m -> !Double.isNaN(m.bytesPerOp())
        && m.value().equals("string") && List.of("getHit", "get", "put").contains(m.operation()))
        .toList();
    if (measured.isEmpty()) {
      return "";
    }
    TreeSet<Integer> threads = measured.stream().map(Measurement::threads)
        .collect(Collectors.toCollection(TreeSet::new));
    StringBuilder md = new StringBuilder("\n## Bytes allocated per operation\n\n"
        + "JMH's gc profiler (`" + BenchmarkRunner.ALLOCATED_PER_OP + "`): bytes the client JVM "
        + "allocated per operation, all its threads (the Redis client's event loop too), median "
        + "of the measured iterations; strings. `getHit` is CacheLayer's and the JCache "
        + "providers' get, `get` a raw client's.\n\n");
    tableHead(md, List.of("operation", "who"), threads);
    for (String[] pair : new String[][] {{"getHit", "get"}, {"put", "put"}}) {
      for (Measurement first : measured.stream().filter(m -> m.operation().equals(pair[0])
          || m.operation().equals(pair[1])).filter(m -> m.threads() == threads.first()).toList()) {
        md.append("| ").append(first.operation()).append(" | ").append(first.subject()).append(" |");
        for (int t : threads) {
          Optional<Measurement> m = find(measured, first.operation(), first.subject(), "string", t);
          md.append(' ').append(m.map(x -> String.format(Locale.ROOT, "%,.0f", x.bytesPerOp()))
              .orElse("–")).append(" |");
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  /** A table's head: the named columns, then one right-aligned column per thread count. */
  private static void tableHead(StringBuilder md, List<String> names, SortedSet<Integer> threads) {
    names.forEach(name -> md.append("| ").append(name).append(' '));
    md.append('|');
    threads.forEach(t -> md.append(' ').append(t).append(" thread").append(t == 1 ? "" : "s")
        .append(" |"));
    md.append('\n');
    names.forEach(name -> md.append("|---"));
    md.append('|');
    threads.forEach(t -> md.append("---:|"));
    md.append('\n');
  }

  private static List<String> subjects(List<Measurement> measurements) {
    return measurements.stream().map(Measurement::subject).distinct().toList();
  }

  private static Optional<Measurement> find(List<Measurement> all, String operation, String subject,
      String value, int threads) {
    return all.stream().filter(m -> m.operation().equals(operation) && m.subject().equals(subject)
        && m.value().equals(value) && m.threads() == threads).findFirst();
  }

  /**
   * The ratios the benchmarks issue sets targets for, for every operation and thread count
   * measured, each with its target and by how much it was met or missed.
   */
  static String ratios(List<Measurement> all, Map<String, Double> footprint) {
    StringBuilder md = new StringBuilder("\n## Ratios (medians) against the targets\n\n"
        + "| ratio | operation | value | threads | ratio | target | verdict |\n"
        + "|---|---|---|---:|---:|---:|---|\n");
    TreeSet<Integer> threads = all.stream().map(Measurement::threads)
        .collect(Collectors.toCollection(TreeSet::new));
    List<String> operations = all.stream().map(Measurement::operation).distinct().sorted().toList();
    String[][] pairs = {
        {"CacheLayer / Redisson JCache (same settings)", "cachelayer-redis", "redisson-jcache-tuned"},
        {"CacheLayer / Redisson JCache (its defaults)", "cachelayer-redis", "redisson-jcache-default"},
        {"fallback / Caffeine JCache", "cachelayer-fallback", "caffeine-jcache"}};
    for (String[] pair : pairs) {
      for (String operation : operations) {
        for (String value : new String[] {"string", "pojo"}) {
          for (int t : threads) {
            var a = find(all, operation, pair[1], value, t);
            var b = find(all, operation, pair[2], value, t);
            if (a.isPresent() && b.isPresent()) {
              row(md, pair[0], operation, value, Integer.toString(t),
                  a.get().median() / b.get().median(), target(pair[1], pair[2], operation, value));
            }
          }
        }
      }
    }
    for (int t : threads) {
      for (String[] op : new String[][] {{"getHit", "get"}, {"put", "put"}}) {
        var ours = find(all, op[0], "cachelayer-redis", "string", t);
        var bucket = all.stream().filter(m -> m.operation().equals(op[1]) && m.threads() == t
            && m.subject().equals("redisson-bucket-tuned")).findFirst();
        if (ours.isPresent() && bucket.isPresent()) {
          // "The JCache layer costs at most 10% over RBucket": ours / RBucket >= 1 / 1.1.
          row(md, "CacheLayer / Redisson RBucket (same settings)", op[0], "string",
              Integer.toString(t), ours.get().median() / bucket.get().median(), 1 / 1.1);
        }
        for (String client : new String[] {"jedis", "lettuce"}) {
          var raw = find(all, op[1], client, "string", t);
          if (ours.isPresent() && raw.isPresent()) {
            // Issue 22: at least the raw client's throughput from 8 threads on.
            row(md, "CacheLayer / " + client, op[0], "string", Integer.toString(t),
                ours.get().median() / raw.get().median(), t >= 8 ? 1.0 : 0);
          }
        }
      }
    }
    Double plain = footprint.get("plain SET");
    for (String who : new String[] {"cachelayer-redis", "redisson-jcache-tuned"}) {
      if (plain != null && footprint.containsKey(who)) {
        row(md, "memory per entry / plain SET (" + who + ")", "–", "string", "–",
            footprint.get(who) / plain, who.startsWith("cachelayer") ? -1.3 : 0);
      }
    }
    return md.toString();
  }

  /**
   * The target for a ratio: at least this much; negative: at most its absolute value;
   * 0: reported without a target.
   */
  private static double target(String ours, String peer, String operation, String value) {
    if (peer.equals("redisson-jcache-tuned")) {
      return switch (operation) {
        case "getHit", "put" -> 1.3;
        case "getAll100", "putAll100" -> 3.0;
        default -> 0;
      };
    }
    if (ours.equals("cachelayer-fallback")) {
      return value.equals("pojo") ? 10.0 : 1.0;
    }
    return 0;
  }

  private static void row(StringBuilder md, String label, String operation, String value,
      String threads, double ratio, double target) {
    String targetText;
    String verdict;
    if (target == 0) {
      targetText = "–";
      verdict = "";
    } else if (target > 0) {
      targetText = String.format(Locale.ROOT, "≥ %.2f×", target);
      verdict = ratio >= target ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
          100 * (target - ratio) / target);
    } else {
      targetText = String.format(Locale.ROOT, "≤ %.2f×", -target);
      verdict = ratio <= -target ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
          100 * (ratio + target) / -target);
    }
    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f× | %s | %s |%n", label,
        operation, value, threads, ratio, targetText, verdict));
  }

  /** Grouped bars: one group per thread count, one bar per provider or client. */
  static String svg(String title, List<Measurement> measurements) {
    List<String> subjects = subjects(measurements);
    List<Integer> threads = measurements.stream().map(Measurement::threads).distinct().sorted().toList();
    double max = measurements.stream().mapToDouble(Measurement::max).max().orElse(1);
    int barWidth = 18;
    int groupWidth = subjects.size() * barWidth + 30;
    int width = 90 + threads.size() * groupWidth + 220;
    int height = 300;
    int plotHeight = 220;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
        width, height));
    svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"16\" font-size=\"13\">%s (ops/s; whiskers: min–max)</text>%n", title));
    svg.append(String.format(Locale.ROOT, "<line x1=\"70\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
        30 + plotHeight, 70 + threads.size() * groupWidth, 30 + plotHeight));
    for (int tick = 0; tick <= 4; tick++) {
      double v = max * tick / 4;
      int y = 30 + plotHeight - (int) (plotHeight * tick / 4.0);
      svg.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%,.0f</text><line x1=\"68\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n",
          y + 4, v, y, 70 + threads.size() * groupWidth, y));
    }
    for (int g = 0; g < threads.size(); g++) {
      int x0 = 80 + g * groupWidth;
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%d thread%s</text>%n", x0,
          30 + plotHeight + 16, threads.get(g), threads.get(g) == 1 ? "" : "s"));
      for (int s = 0; s < subjects.size(); s++) {
        int t = threads.get(g);
        String subject = subjects.get(s);
        Optional<Measurement> m = measurements.stream()
            .filter(x -> x.subject().equals(subject) && x.threads() == t).findFirst();
        if (m.isEmpty()) {
          continue;
        }
        int h = (int) (plotHeight * m.get().median() / max);
        int x = x0 + s * barWidth;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
            x, 30 + plotHeight - h, barWidth - 3, h, COLORS[s % COLORS.length]));
        int yMin = 30 + plotHeight - (int) (plotHeight * m.get().min() / max);
        int yMax = 30 + plotHeight - (int) (plotHeight * m.get().max() / max);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n",
            x + (barWidth - 3) / 2, yMin, x + (barWidth - 3) / 2, yMax));
      }
    }
    int legendX = 90 + threads.size() * groupWidth;
    for (int s = 0; s < subjects.size(); s++) {
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
          legendX, 40 + s * 16, COLORS[s % COLORS.length], legendX + 14, 49 + s * 16, subjects.get(s)));
    }
    return svg.append("</svg>\n").toString();
  }
}
