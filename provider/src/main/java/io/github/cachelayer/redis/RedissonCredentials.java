package io.github.cachelayer.redis;

import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.internal.redisson.config.Credentials;
import io.github.cachelayer.internal.redisson.config.CredentialsResolver;
import io.github.cachelayer.util.WaitingThreads;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The client's side of {@link CredentialsRenewal}: each new connection asks for credentials (on
 * CacheLayer's threads, since a provider may block), and every connection sends {@code AUTH}
 * again, in its own command stream, when a renewal is due.
 */
final class RedissonCredentials implements CredentialsResolver {
  private final CredentialsRenewal renewal;

  RedissonCredentials(CredentialsRenewal renewal) {
    this.renewal = renewal;
  }

  @Override
  public CompletionStage<Credentials> resolve(InetSocketAddress address) {
    return CompletableFuture.supplyAsync(() -> {
      RedisCredentials now = renewal.forNewConnection();
      return new Credentials(now.username(), now.password());
    }, WaitingThreads.executor());
  }

  @Override
  public CompletionStage<Void> nextRenewal() {
    return renewal.renewals();
  }

  @Override
  public String toString() {
    return "RedissonCredentials[" + renewal.providerName() + "]";
  }
}
