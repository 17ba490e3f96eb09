package io.github.cachelayer.redis.socket;

import io.github.cachelayer.config.RedisSettings;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.resp.RespConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opens {@link RespConnection}s to Redis nodes the way the manager's client reaches them: the
 * same TLS trust and host name check, the same credentials, the same timeouts. Never puts the
 * password into a message.
 */
public final class NodeConnector {
  /** Redis answered AUTH with an error: the credentials, not the network. */
  public static final class RefusedCredentials extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedCredentials(String message) {
      super(message);
    }
  }

  private final boolean tls;
  private final SSLSocketFactory sslSockets;
  private final boolean verifyHostname;
  /** What a new connection authenticates with; null for none. */
  private final Supplier<RedisCredentials> credentials;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final RedisSettings.NearCacheProtocol protocol;

  /**
   * @param readTimeoutMillis how long a connection may stay silent before it counts as lost
   *     (the heartbeat answers several times within it)
   * @param credentials asked for each new connection; null to use the settings' fixed password
   */
  public NodeConnector(RedisSettings settings, int readTimeoutMillis,
      Supplier<RedisCredentials> credentials) {
    this.tls = settings.ssl();
    this.sslSockets = tls ? sslSockets(settings) : null;
    this.verifyHostname = settings.verifyHostname();
    this.credentials = credentials != null ? credentials : fixed(settings);
    this.connectTimeoutMillis = (int) settings.connectTimeout().toMillis();
    this.readTimeoutMillis = readTimeoutMillis;
    this.protocol = settings.nearCacheProtocol();
  }

  /** How invalidations are to reach the near cache, as configured. */
  public RedisSettings.NearCacheProtocol protocol() {
    return protocol;
  }

  /** How long a connection may stay silent before it counts as lost. */
  public int silenceMillis() {
    return readTimeoutMillis;
  }

  private static Supplier<RedisCredentials> fixed(RedisSettings settings) {
    if (settings.password() == null) {
      return null;
    }
    RedisCredentials fixed = settings.username() == null
        ? RedisCredentials.of(settings.password())
        : RedisCredentials.of(settings.username(), settings.password());
    return () -> fixed;
  }

  /** A connection authenticated with the credentials of a new connection now. */
  public RespConnection connect(InetSocketAddress address) throws IOException {
    return connect(address, credentials == null ? null : credentials.get());
  }

  /**
   * A connection authenticated with {@code with} (none if null).
   *
   * @throws RefusedCredentials if Redis refuses them
   */
  public RespConnection connect(InetSocketAddress address, RedisCredentials with)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(address, connectTimeoutMillis);
      socket.setSoTimeout(readTimeoutMillis);
      if (tls) {
        SSLSocket secure = (SSLSocket) sslSockets.createSocket(socket, address.getHostString(),
            address.getPort(), true);
        if (verifyHostname) {
          SSLParameters parameters = secure.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          secure.setSSLParameters(parameters);
        }
        secure.startHandshake();
        socket = secure;
      }
      RespConnection connection = new RespConnection(socket);
      if (with != null) {
        try {
          if (with.username() != null) {
            connection.call("AUTH", with.username(), with.password());
          } else {
            connection.call("AUTH", with.password());
          }
        } catch (RespConnection.ErrorReply refused) {
          // Redis's message names neither the user's password nor ours.
          throw new RefusedCredentials("Redis refused the credentials: " + refused.getMessage());
        }
      }
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static SSLSocketFactory sslSockets(RedisSettings settings) {
    try {
      if (settings.truststore() == null) {
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      char[] secret = settings.truststorePassword() == null ? null
          : settings.truststorePassword().toCharArray();
      try (InputStream in = settings.truststoreUrl().openStream()) {
        trusted.load(in, secret);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new CacheException("The near cache cannot read cachelayer.redis.truststore ("
          + settings.truststore() + "): " + e.getMessage(), e);
    }
  }

}
