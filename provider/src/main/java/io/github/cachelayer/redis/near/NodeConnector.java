package io.github.cachelayer.redis.near;

import io.github.cachelayer.config.RedisSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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
final class NodeConnector {
  private final boolean tls;
  private final SSLSocketFactory sslSockets;
  private final boolean verifyHostname;
  private final String username;
  private final String password;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final RedisSettings.NearCacheProtocol protocol;

  /**
   * @param readTimeoutMillis how long a connection may stay silent before it counts as lost
   *     (the heartbeat answers several times within it)
   */
  NodeConnector(RedisSettings settings, int readTimeoutMillis) {
    this.tls = settings.ssl();
    this.sslSockets = tls ? sslSockets(settings) : null;
    this.verifyHostname = settings.verifyHostname();
    this.username = settings.username();
    this.password = settings.password();
    this.connectTimeoutMillis = (int) settings.connectTimeout().toMillis();
    this.readTimeoutMillis = readTimeoutMillis;
    this.protocol = settings.nearCacheProtocol();
  }

  /** How invalidations are to reach the near cache, as configured. */
  RedisSettings.NearCacheProtocol protocol() {
    return protocol;
  }

  /** How long a connection may stay silent before it counts as lost. */
  int silenceMillis() {
    return readTimeoutMillis;
  }

  RespConnection connect(InetSocketAddress address) throws IOException {
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
      if (password != null) {
        try {
          if (username != null) {
            connection.call("AUTH", username, password);
          } else {
            connection.call("AUTH", password);
          }
        } catch (RespConnection.ErrorReply refused) {
          // Redis's message names neither the user's password nor ours.
          throw new IOException("Redis refused the credentials: " + refused.getMessage());
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
