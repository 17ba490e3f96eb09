package io.github.cachelayer.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.config.ConfigurationException;
import io.github.cachelayer.config.ManagerSettings;
import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.config.RedisSettings.Transport;
import io.github.cachelayer.internal.redisson.api.RBucket;
import io.github.cachelayer.internal.redisson.api.RedissonClient;
import io.github.cachelayer.internal.redisson.config.TransportMode;
import io.github.cachelayer.redis.outage.ConnectionLosses;
import io.github.cachelayer.testing.redis.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class NettyTransportTest {
  @RegisterExtension
  static final RedisExtension redis = new RedisExtension();

  /** The platforms the provider ships Netty's native epoll library for. */
  private static boolean shipsEpoll() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
        && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
  }

  @Test
  void autoTakesTheShippedEpollWhereItLoadsAndNioElsewhere() {
    assertEquals(shipsEpoll(), NettyTransport.epollLoads(),
        "the native library shipped for Linux on x86_64 and aarch64 must load there");
    assertEquals(shipsEpoll() ? TransportMode.EPOLL : TransportMode.NIO,
        NettyTransport.choose(Transport.AUTO));
    assertEquals(TransportMode.NIO, NettyTransport.choose(Transport.NIO));
    if (shipsEpoll()) {
      assertEquals(TransportMode.EPOLL, NettyTransport.choose(Transport.EPOLL));
    } else {
      ConfigurationException refused = assertThrows(ConfigurationException.class,
          () -> NettyTransport.choose(Transport.EPOLL));
      assertTrue(refused.getMessage().contains("cachelayer.redis.transport"),
          refused.getMessage());
    }
  }

  @Test
  void eachTransportCarriesCommandsOnItsOwnEventLoops(@TempDir Path dir) throws Exception {
    for (String transport : new String[] {"nio", "auto"}) {
      Path file = dir.resolve(transport + ".conf");
      Files.writeString(file, "cachelayer.redis.transport = " + transport + "\n");
      RedisSettings settings = ManagerSettings.load(file.toUri(), false,
          getClass().getClassLoader(), Map.of("REDIS_URL", redis.url())).redis();
      Set<Thread> before = Thread.getAllStackTraces().keySet();
      RedissonClient client = RedisClients.connect(settings, new ConnectionLosses());
      try {
        RBucket<byte[]> bucket = client.getBucket("transport:" + transport);
        byte[] value = transport.getBytes(StandardCharsets.UTF_8);
        bucket.set(value);
        assertArrayEquals(value, bucket.get(), transport);
        boolean epoll = transport.equals("auto") && shipsEpoll();
        assertEquals(epoll ? TransportMode.EPOLL : TransportMode.NIO,
            client.getConfig().getTransportMode(), transport);
        assertEquals(epoll, epollLoopRuns(before),
            transport + ": the client's event loops are epoll's");
      } finally {
        client.shutdown();
      }
    }
  }

  /** Whether a thread started since {@code before} (the client's own) is in Netty's epoll code. */
  private static boolean epollLoopRuns(Set<Thread> before) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(thread -> !before.contains(thread.getKey()))
        .flatMap(thread -> Arrays.stream(thread.getValue()))
        .anyMatch(frame -> frame.getClassName().startsWith("io.netty.channel.epoll."));
  }
}
