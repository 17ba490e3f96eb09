package io.github.cachelayer.redis.link;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What a workload did and saw, for a ground-truth check: every write (its value, unique per
 * write, or null for a removal; when it began and ended; whether it was acknowledged) and every
 * read (the value it returned, when it began). A cache may always miss, but a read must not
 * return a value that a later write of the key had replaced, or tried to (a failed write leaves
 * its key settled), before the read began.
 */
final class History {
  record Write(String key, String value, long start, long end, boolean acknowledged) {}

  record Read(String key, String value, long start, long end) {}

  private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();

  void wrote(String key, String value, long start, long end, boolean acknowledged) {
    writes.add(new Write(key, value, start, end, acknowledged));
  }

  void read(String key, String value, long start, long end) {
    reads.add(new Read(key, value, start, end));
  }

  int reads() {
    return reads.size();
  }

  int writes() {
    return writes.size();
  }

  /** The reads that returned a value replaced before they began, described. */
  List<String> staleReads() {
    Map<String, List<Write>> byKey = writes.stream()
        .collect(Collectors.groupingBy(Write::key));
    Map<String, Write> byValue = writes.stream().filter(w -> w.value() != null)
        .collect(Collectors.toMap(Write::value, w -> w, (a, b) -> a));
    List<String> stale = new ArrayList<>();
    for (Read read : reads) {
      if (read.value() == null) {
        continue; // a miss is always allowed
      }
      Write source = byValue.get(read.value());
      if (source == null) {
        stale.add(read + ": a value nobody wrote");
        continue;
      }
      for (Write later : byKey.getOrDefault(read.key(), List.of())) {
        if (later.start() > source.end() && later.end() < read.start()) {
          stale.add(read + " returned " + source + " although " + later + " came after it");
          break;
        }
      }
    }
    stale.sort(Comparator.naturalOrder());
    return stale;
  }
}
