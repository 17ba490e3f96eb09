package io.github.cachelayer.redis;

import io.github.cachelayer.config.ConfigurationException;
import io.github.cachelayer.config.RedisSettings.Transport;
import io.github.cachelayer.internal.redisson.config.TransportMode;
import io.netty.channel.epoll.Epoll;

/**
 * Which Netty transport the client's event loops use. Native epoll wakes an event loop with
 * one eventfd write, where Java's NIO takes a selector lock the loop itself also takes: a single
 * thread's get went from about 9.3k to 10.6k per second on the 2-core benchmark machine.
 */
final class NettyTransport {
  private NettyTransport() {}

  static TransportMode choose(Transport wanted) {
    return switch (wanted) {
      case NIO -> TransportMode.NIO;
      case AUTO -> epollLoads() ? TransportMode.EPOLL : TransportMode.NIO;
      case EPOLL -> {
        if (!epollLoads()) {
          throw new ConfigurationException("cachelayer.redis.transport",
              "is epoll, but Netty's native epoll transport does not load here ("
                  + whyNotEpoll() + "); use auto or nio");
        }
        yield TransportMode.EPOLL;
      }
    };
  }

  /** False also when the application left Netty's epoll classes out of its class path. */
  static boolean epollLoads() {
    try {
      return Epoll.isAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  private static String whyNotEpoll() {
    try {
      Throwable cause = Epoll.unavailabilityCause();
      return cause == null ? "no reason given" : cause.toString();
    } catch (LinkageError e) {
      return "its classes are not on the class path";
    }
  }
}
