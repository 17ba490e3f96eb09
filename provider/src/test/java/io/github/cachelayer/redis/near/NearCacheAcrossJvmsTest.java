package io.github.cachelayer.redis.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.testing.JvmNode;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on one Redis: a writer puts 8 keys in turn, one put every 2 ms, for 8 s; a reader
 * with a near cache reads them as fast as it can. From the writer's acknowledgement times and
 * the reader's observations: no read began more than the freshness window after a write and
 * still returned a value that write replaced, and how long after each write the reader first
 * saw it (the invalidation delay, as a user sees it), p50 and p99, over the writes the reader
 * was reading through (a reader JVM that got no CPU for a while would otherwise time itself).
 */
@Tag("multi-jvm") // two JVMs
class NearCacheAcrossJvmsTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  private static final int KEYS = 8;
  private static final long MILLIS = 8_000;

  @TempDir
  Path directory;

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  /**
   * A key unread for this long around a change means the reader was not running then (it reads
   * each of the 8 keys every few microseconds while it runs).
   */
  private static final long READER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** Full JIT and heap, as the JVMs of an application have: the test measures delays. */
  private static JvmNode node(String task, Path file, String... more) {
    List<String> args = new ArrayList<>(List.of(redis.url(), task, Integer.toString(KEYS),
        Long.toString(MILLIS), file.toString()));
    args.addAll(List.of(more));
    return JvmNode.start("near-" + task, NearCacheNode.class, args, Map.of(),
        List.of("-XX:TieredStopAtLevel=4", "-Xmx1g"));
  }

  @Test
  void aReaderNeverReadsAReplacedValueOnceTheInvalidationDelayPassed() throws Exception {
    Path written = directory.resolve("written");
    Path seen = directory.resolve("seen");
    String readerResult;
    String output;
    // The reader reads until the writer is done, however long its writes take.
    try (JvmNode reader = node("read", seen, written.toString())) {
      reader.awaitLine("READY", PATIENCE);
      try (JvmNode writer = node("write", written)) {
        assertEquals("RESULT written", writer.awaitLine("RESULT", PATIENCE));
        readerResult = reader.awaitLine("RESULT", PATIENCE);
        writer.awaitReady(() -> !writer.isAlive(), PATIENCE);
        reader.awaitReady(() -> !reader.isAlive(), PATIENCE);
        output = reader.output() + writer.output();
      }
    }

    // key -> value -> acknowledgement time of the put that wrote it
    Map<String, TreeMap<Long, Long>> acks = new HashMap<>();
    for (String line : Files.readAllLines(written)) {
      String[] part = line.split(" ");
      acks.computeIfAbsent(part[0], k -> new TreeMap<>())
          .put(Long.parseLong(part[1]), Long.parseLong(part[2]));
    }
    // key -> value -> {first, last} read start that returned it
    Map<String, TreeMap<Long, long[]>> reads = new HashMap<>();
    for (String line : Files.readAllLines(seen)) {
      String[] part = line.split(" ");
      reads.computeIfAbsent(part[0], k -> new TreeMap<>()).put(Long.parseLong(part[1]),
          new long[] {Long.parseLong(part[2]), Long.parseLong(part[3])});
    }

    List<Long> delays = new ArrayList<>();
    long worstStale = 0;
    int paused = 0;
    for (var key : acks.entrySet()) {
      TreeMap<Long, long[]> observed = reads.getOrDefault(key.getKey(), new TreeMap<>());
      for (var write : key.getValue().entrySet()) {
        long value = write.getKey();
        long ack = write.getValue();
        // The latest read that still returned an older value (after this write's ack, it was
        // stale).
        long lastOlder = Long.MIN_VALUE;
        for (long[] times : observed.headMap(value).values()) {
          worstStale = Math.max(worstStale, times[1] - ack);
          lastOlder = Math.max(lastOlder, times[1]);
        }
        // The first read that returned this value or a newer one.
        long first = observed.tailMap(value).values().stream().mapToLong(t -> t[0]).min()
            .orElse(Long.MAX_VALUE);
        if (first == Long.MAX_VALUE) {
          continue;
        }
        if (lastOlder == Long.MIN_VALUE || first - lastOlder > READER_PAUSE_NANOS) {
          // The reader read this key not at all around the change (its JVM had no CPU or
          // paused): when the change became visible is unknown, only that no read was stale
          // after it (worstStale). Such writes say nothing about the invalidation's trip.
          paused++;
          continue;
        }
        delays.add(Math.max(0, first - ack));
      }
    }
    Collections.sort(delays);
    assertTrue(delays.size() + paused > 1_000, "too few writes seen: " + (delays.size() + paused)
        + "\n" + output);
    assertTrue(delays.size() >= 100, "the reader was paused through all but " + delays.size()
        + " of " + (delays.size() + paused) + " writes");
    long p50 = delays.get(delays.size() / 2);
    long p99 = delays.get(delays.size() * 99 / 100);
    long max = delays.get(delays.size() - 1);
    System.out.printf("Near cache across JVMs: %s; %d writes seen while the reader was reading "
        + "(%d while it was paused); invalidation delay "
        + "(write acknowledged -> reader sees it) p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
        + "latest stale read began %.3f ms after the write that replaced it%n",
        readerResult, delays.size(), paused, p50 / 1e6, p99 / 1e6, max / 1e6,
        worstStale / 1e6);
    assertTrue(worstStale < TimeUnit.MILLISECONDS.toNanos(InvalidationFeed.FRESHNESS_MILLIS),
        "a read began " + worstStale / 1e6 + " ms after a write and returned the value it replaced");
    assertTrue(p99 < TimeUnit.MILLISECONDS.toNanos(200), "p99 delay " + p99 / 1e6 + " ms");
    long readsDone = Long.parseLong(readerResult.replaceAll(".*reads=(\\d+).*", "$1"));
    long nearHits = Long.parseLong(readerResult.replaceAll(".*nearHits=(\\d+).*", "$1"));
    assertTrue(nearHits > readsDone / 2, "the reader's near cache answered too little: "
        + readerResult);
  }
}
