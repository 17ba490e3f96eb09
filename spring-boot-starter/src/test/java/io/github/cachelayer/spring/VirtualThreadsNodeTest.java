package io.github.cachelayer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cachelayer.testing.Jdks;
import io.github.cachelayer.testing.redis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The books application on Java 25 with {@code spring.threads.virtual.enabled=true}: requests on
 * virtual threads through plain, {@code sync = true} and asynchronous {@code @Cacheable}
 * methods, while Redis answers and while it is frozen for half a second. After a warm-up (class
 * loading pins carriers whoever loads), JFR records every pinned virtual thread (threshold 0);
 * none may have blocked in CacheLayer's code.
 */
@Tag("multi-jvm")
class VirtualThreadsNodeTest {
  private static final Pattern FRAME = Pattern.compile("^\\s+([\\w$.<>]+)\\(", Pattern.MULTILINE);

  @Test
  void noVirtualThreadIsPinnedInCacheLayerWhileWaitingForRedis() throws Exception {
    Path java25 = Jdks.find(25).orElse(null);
    assumeTrue(java25 != null, "no Java 25 on this machine: set -Dcachelayer.test.jdk25=<home>");
    Path recording = Files.createTempFile("virtual-threads-", ".jfr");
    ExecutorService clients = Executors.newFixedThreadPool(32);
    try (RedisServer redis = RedisServer.start();
        BooksNode node = BooksNode.start("virtual-threads", Map.of("REDIS_URL", redis.url()),
            List.of(), java25, "--spring.threads.virtual.enabled=true",
            "--spring.cache.cache-names=")) {
      node.awaitReady();
      requests(node, clients, null); // warm-up: every class loaded, every cache made
      run(java25, "jcmd", String.valueOf(node.pid()), "JFR.start", "name=pins",
          "jdk.VirtualThreadPinned#threshold=0ms", "jdk.VirtualThreadStart#enabled=true");
      requests(node, clients, redis);
      run(java25, "jcmd", String.valueOf(node.pid()), "JFR.dump", "name=pins",
          "filename=" + recording);

      String started = run(java25, "jfr", "print", "--events", "jdk.VirtualThreadStart",
          recording.toString());
      assertTrue(count(started, "jdk.VirtualThreadStart {") >= 300,
          "requests ran on virtual threads: " + count(started, "jdk.VirtualThreadStart {"));
      String pinned = run(java25, "jfr", "print", "--stack-depth", "64", "--events",
          "jdk.VirtualThreadPinned", recording.toString());
      List<String> ours = new ArrayList<>();
      for (String event : pinned.split("jdk.VirtualThreadPinned \\{")) {
        if (blockedIn(event).startsWith("io.github.cachelayer.")) {
          ours.add(event);
        }
      }
      assertEquals(List.of(), ours, "virtual threads pinned in CacheLayer's code");
    } finally {
      clients.shutdownNow();
      Files.deleteIfExists(recording);
    }
  }

  /** 600 requests, 32 at a time; with a server given, it is frozen for 500 ms among them. */
  private static void requests(BooksNode node, ExecutorService clients, RedisServer frozen)
      throws Exception {
    List<CompletableFuture<?>> requests = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String path = switch (i % 3) {
        case 0 -> "/books/" + (1 + i % 2);
        case 1 -> "/shared/books/" + (i % 40) + "?delayMillis=20";
        default -> "/future/books/" + (i % 40);
      };
      requests.add(CompletableFuture.runAsync(() -> node.get(path), clients));
      if (frozen != null && i == 200) {
        frozen.pause(); // the calls under way wait for Redis
      } else if (frozen != null && i == 260) {
        Thread.sleep(500);
        frozen.resume();
      }
    }
    for (CompletableFuture<?> request : requests) {
      request.get(60, TimeUnit.SECONDS); // each answered 2xx (BooksNode checks)
    }
  }

  /** The first frame of the event's stack outside the JDK: the code that blocked. */
  private static String blockedIn(String event) {
    Matcher frames = FRAME.matcher(event);
    while (frames.find()) {
      String frame = frames.group(1);
      if (!frame.startsWith("java.") && !frame.startsWith("jdk.") && !frame.startsWith("sun.")) {
        return frame;
      }
    }
    return "";
  }

  private static String run(Path java, String tool, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java.resolve("bin").resolve(tool).toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " did not end");
    assertEquals(0, process.exitValue(), command + ":\n" + text);
    return text;
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
