package io.github.cachelayer.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * A user name (or none, for Redis's default user) and a password or token, with the moment it
 * stops being accepted when it has one. The secret never appears in {@link #toString()}.
 */
public final class RedisCredentials {
  private final String username;
  private final String password;
  private final Instant expiresAt;

  private RedisCredentials(String username, String password, Instant expiresAt) {
    if (username != null && username.isEmpty()) {
      throw new IllegalArgumentException("username must not be empty (null for Redis's default "
          + "user)");
    }
    this.username = username;
    this.password = Objects.requireNonNull(password, "password");
    this.expiresAt = expiresAt;
  }

  /** A password of Redis's default user ({@code AUTH password}), valid until replaced. */
  public static RedisCredentials of(String password) {
    return new RedisCredentials(null, password, null);
  }

  /** A user and its password or token ({@code AUTH username password}), valid until replaced. */
  public static RedisCredentials of(String username, String password) {
    return new RedisCredentials(Objects.requireNonNull(username, "username"), password, null);
  }

  /**
   * These credentials, which Redis stops accepting at {@code expiresAt} (a token's expiry):
   * CacheLayer renews every connection before then.
   */
  public RedisCredentials expiringAt(Instant expiresAt) {
    return new RedisCredentials(username, password, Objects.requireNonNull(expiresAt,
        "expiresAt"));
  }

  /** The user name, or null for Redis's default user. */
  public String username() {
    return username;
  }

  /** The password or token: for the Redis client only, never to be logged. */
  public String password() {
    return password;
  }

  /** When Redis stops accepting these credentials, or null if they do not expire. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Whether {@code other} names the same user with the same secret. */
  public boolean sameAs(RedisCredentials other) {
    return other != null && Objects.equals(username, other.username)
        && password.equals(other.password);
  }

  @Override
  public String toString() {
    return "RedisCredentials[user=" + (username == null ? "default" : username)
        + ", password=****" + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "]";
  }
}
