package io.github.cachelayer.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The floor a JCache layer can approach: plain GET and SET of the same 100 bytes with the raw
 * clients, on the same Redis. Jedis borrows a pooled connection per call; Lettuce shares one
 * connection (its usual use); Redisson runs tuned (as CacheLayer) and with its defaults.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Jedis's pool, as most of its users still call it
public class RawClientBenchmark {
  @Param({"redisson-bucket-tuned", "redisson-bucket-default", "lettuce", "jedis"})
  public String client;

  private static final byte[] VALUE = Values.STRING_100.getBytes(StandardCharsets.UTF_8);
  private static final int KEYS = 1_000;

  private RedissonClient redisson;
  private RedisClient lettuce;
  private StatefulRedisConnection<byte[], byte[]> lettuceConnection;
  private RedisCommands<byte[], byte[]> lettuceCommands;
  private JedisPool jedis;
  private byte[][] keys;

  @Setup(Level.Trial)
  public void open() {
    keys = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = ("raw:k" + i).getBytes(StandardCharsets.UTF_8);
    }
    java.net.URI url = java.net.URI.create(Peers.redisUrl());
    switch (client) {
      case "redisson-bucket-tuned", "redisson-bucket-default" -> {
        var config = Peers.redissonConfig(client.endsWith("tuned"));
        config.setCodec(org.redisson.client.codec.ByteArrayCodec.INSTANCE);
        redisson = Redisson.create(config);
      }
      case "lettuce" -> {
        lettuce = RedisClient.create(url.toString());
        lettuceConnection = lettuce.connect(ByteArrayCodec.INSTANCE);
        lettuceCommands = lettuceConnection.sync();
      }
      case "jedis" -> {
        JedisPoolConfig pool = new JedisPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        jedis = new JedisPool(pool, url.getHost(), url.getPort());
      }
      default -> throw new IllegalArgumentException(client);
    }
    for (byte[] key : keys) {
      set(key);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (redisson != null) {
      redisson.shutdown();
    }
    if (lettuceConnection != null) {
      lettuceConnection.close();
      lettuce.shutdown();
    }
    if (jedis != null) {
      jedis.close();
    }
  }

  private byte[] key() {
    return keys[ThreadLocalRandom.current().nextInt(KEYS)];
  }

  private void set(byte[] key) {
    switch (client) {
      case "lettuce" -> lettuceCommands.set(key, VALUE);
      case "jedis" -> {
        try (Jedis connection = jedis.getResource()) {
          connection.set(key, VALUE);
        }
      }
      default -> redisson.<byte[]>getBucket(new String(key, StandardCharsets.UTF_8)).set(VALUE);
    }
  }

  @Benchmark
  public Object get() {
    byte[] key = key();
    return switch (client) {
      case "lettuce" -> lettuceCommands.get(key);
      case "jedis" -> {
        try (Jedis connection = jedis.getResource()) {
          yield connection.get(key);
        }
      }
      default -> redisson.<byte[]>getBucket(new String(key, StandardCharsets.UTF_8)).get();
    };
  }

  @Benchmark
  public void put() {
    set(key());
  }
}
