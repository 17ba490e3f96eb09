package io.github.cachelayer.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CacheLayer's synchronous get (Redis mode) from 1,000 virtual threads against 32 platform
 * threads: each invocation makes {@value #GETS} gets, split evenly over the callers, and waits
 * for all. Virtual threads need Java 21+ (run it on 25); on 17 the virtual variant is refused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VirtualThreadsBenchmark {
  static final int GETS = 16_000;
  private static final int KEYS = 1_000;

  @Param({"virtual-1000", "platform-32"})
  public String callers;

  private CacheManager manager;
  private Cache<String, String> cache;
  private ExecutorService executor;
  private int threads;

  @Setup(Level.Trial)
  public void open() throws Exception {
    manager = Peers.open("cachelayer-redis").manager();
    cache = Values.freshStrings(manager, "threads", KEYS);
    if (callers.equals("virtual-1000")) {
      threads = 1_000;
      executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
          .invoke(null);
    } else {
      threads = 32;
      executor = Executors.newFixedThreadPool(threads);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    executor.shutdownNow();
    manager.destroyCache("threads");
    manager.close();
  }

  @Benchmark
  @OperationsPerInvocation(GETS)
  public void get() throws Exception {
    int each = GETS / threads;
    List<Future<?>> running = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      running.add(executor.submit(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < each; i++) {
          cache.get("k" + random.nextInt(KEYS));
        }
      }));
    }
    for (Future<?> caller : running) {
      caller.get();
    }
  }
}
