package io.github.cachelayer.testing.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool:
 * PEM files for redis-server, and a PKCS12 trust store holding only that certificate for clients.
 */
public final class TlsMaterial {
  public static final String PASSWORD = "changeit";
  private final Path certificate;
  private final Path privateKey;
  private final Path trustStore;

  private TlsMaterial(Path certificate, Path privateKey, Path trustStore) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.trustStore = trustStore;
  }

  public static TlsMaterial generate() {
    try {
      Path dir = Files.createTempDirectory("cachelayer-tls");
      dir.toFile().deleteOnExit();
      Path keyStore = dir.resolve("server.p12");
      Path der = dir.resolve("server.der");
      Path trust = dir.resolve("trust.p12");
      keytool("-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048",
          "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
          "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
          "-keypass", PASSWORD);
      keytool("-exportcert", "-alias", "redis", "-keystore", keyStore.toString(),
          "-storepass", PASSWORD, "-file", der.toString());
      keytool("-importcert", "-noprompt", "-alias", "redis", "-file", der.toString(),
          "-storetype", "PKCS12", "-keystore", trust.toString(), "-storepass", PASSWORD);
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, PASSWORD.toCharArray());
      }
      Key key = store.getKey("redis", PASSWORD.toCharArray());
      Certificate cert = store.getCertificate("redis");
      Path certPem = dir.resolve("server.crt");
      Path keyPem = dir.resolve("server.key");
      Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
      for (Path file : List.of(keyStore, der, trust, certPem, keyPem)) {
        file.toFile().deleteOnExit();
      }
      return new TlsMaterial(certPem, keyPem, trust);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not make a test certificate", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "keytool");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }

  /** Arguments that make redis-server also listen with TLS on {@code tlsPort}. */
  public String[] serverArguments(int tlsPort) {
    return new String[] {"--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", certificate.toString(), "--tls-key-file", privateKey.toString(),
        "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no"};
  }

  /** A PKCS12 trust store with the certificate, password {@link #PASSWORD}. */
  public Path trustStore() {
    return trustStore;
  }
}
