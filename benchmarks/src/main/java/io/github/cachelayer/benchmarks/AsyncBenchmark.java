package io.github.cachelayer.benchmarks;

import io.github.cachelayer.cache.AsyncCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
 * Gets and puts with {@value #OUTSTANDING} outstanding at once from one thread: CacheLayer's
 * {@link AsyncCache#get} and {@link AsyncCache#put} (Redis mode, no near cache) beside Lettuce's
 * asynchronous {@code GET} and {@code SET} on its one shared connection, the same 100-byte
 * strings, the same Redis. An operation is one get or put; each invocation sends
 * {@value #OUTSTANDING} and waits for them all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncBenchmark {
  static final int OUTSTANDING = 1_000;
  private static final int KEYS = 1_000;

  @Param({"cachelayer-async", "lettuce-async"})
  public String client;

  private CacheManager manager;
  private AsyncCache<String, String> cache;
  private RedisClient lettuce;
  private StatefulRedisConnection<String, String> connection;
  private RedisAsyncCommands<String, String> commands;
  private final CompletableFuture<?>[] pending = new CompletableFuture<?>[OUTSTANDING];

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void open() throws Exception {
    if (client.equals("cachelayer-async")) {
      manager = Peers.open("cachelayer-redis").manager();
      cache = Values.freshStrings(manager, "async", KEYS).unwrap(AsyncCache.class);
    } else {
      lettuce = RedisClient.create(Peers.redisUrl());
      connection = lettuce.connect(StringCodec.UTF8);
      commands = connection.async();
      for (int i = 0; i < KEYS; i++) {
        commands.set("async:k" + i, Values.STRING_100).get();
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (manager != null) {
      manager.destroyCache("async");
      manager.close();
    }
    if (connection != null) {
      connection.close();
      lettuce.shutdown();
    }
  }

  @Benchmark
  @OperationsPerInvocation(OUTSTANDING)
  public void get() {
    sendAndAwait(k -> cache.get("k" + k),
        k -> commands.get("async:k" + k).toCompletableFuture());
  }

  @Benchmark
  @OperationsPerInvocation(OUTSTANDING)
  public void put() {
    sendAndAwait(k -> cache.put("k" + k, Values.STRING_100),
        k -> commands.set("async:k" + k, Values.STRING_100).toCompletableFuture());
  }

  /** Sends {@value #OUTSTANDING} calls on random keys, then waits for all of them. */
  private void sendAndAwait(IntFunction<CompletableFuture<?>> cacheLayer,
      IntFunction<CompletableFuture<?>> raw) {
    IntFunction<CompletableFuture<?>> send = cache != null ? cacheLayer : raw;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < OUTSTANDING; i++) {
      pending[i] = send.apply(random.nextInt(KEYS));
    }
    CompletableFuture.allOf(pending).join();
  }
}
