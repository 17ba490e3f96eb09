package io.github.cachelayer.redis.outage;

import io.github.cachelayer.internal.redisson.api.NodeType;
import io.github.cachelayer.internal.redisson.connection.ConnectionListener;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells a client's stores when it lost a connection to a master: Redis may come back (restarted,
 * or a replica promoted) without the writes it acknowledged last, even when no call failed
 * because the client's retries found the new master. Each store then settles its recent writes.
 */
public final class ConnectionLosses implements ConnectionListener {
  private final List<Runnable> stores = new CopyOnWriteArrayList<>();

  public void register(Runnable onLoss) {
    stores.add(onLoss);
  }

  public void unregister(Runnable onLoss) {
    stores.remove(onLoss);
  }

  @Override
  @SuppressWarnings("deprecation") // Redisson's listener still requires it
  public void onConnect(InetSocketAddress address) {}

  @Override
  @SuppressWarnings("deprecation") // its replacement gives no address of a lost connection
  public void onDisconnect(InetSocketAddress address) {
    stores.forEach(Runnable::run);
  }

  @Override
  public void onDisconnect(InetSocketAddress address, NodeType type) {
    if (type != NodeType.SLAVE) {
      onDisconnect(address);
    }
  }
}
