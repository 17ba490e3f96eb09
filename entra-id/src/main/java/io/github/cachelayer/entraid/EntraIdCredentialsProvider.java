package io.github.cachelayer.entraid;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.github.cachelayer.credentials.RedisCredentials;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Redis credentials from a Microsoft Entra ID token: the token (for the Redis scope) as the
 * password, the object id of the identity it was issued to (its {@code oid} claim, unless a user
 * name is given) as the user name, valid until the token expires. A token is kept until
 * {@value #REFRESH_MINUTES} minutes before its expiry, so CacheLayer's renewal (by default 5
 * minutes before) always finds a new one, and new connections in between cost no round trip to
 * Entra.
 */
public final class EntraIdCredentialsProvider implements RedisCredentialsProvider {
  /** The scope of Azure Cache for Redis and Azure Managed Redis. */
  public static final String REDIS_SCOPE = "https://redis.azure.com/.default";
  static final int REFRESH_MINUTES = 10;

  private final TokenCredential credential;
  private final TokenRequestContext request;
  private final String userName;
  private AccessToken token;
  private String tokenUser;

  /** Tokens of {@code credential} for the Redis scope, the user named by each token. */
  public EntraIdCredentialsProvider(TokenCredential credential) {
    this(credential, REDIS_SCOPE, null);
  }

  /**
   * @param scope the scope to ask tokens for
   * @param userName the Redis user name; null to take each token's {@code oid} claim
   */
  public EntraIdCredentialsProvider(TokenCredential credential, String scope, String userName) {
    this.credential = Objects.requireNonNull(credential, "credential");
    this.request = new TokenRequestContext().addScopes(Objects.requireNonNull(scope, "scope"));
    this.userName = userName;
  }

  @Override
  public synchronized RedisCredentials credentials() {
    if (token == null || OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofMinutes(REFRESH_MINUTES))
        .isAfter(token.getExpiresAt())) {
      AccessToken fresh = credential.getTokenSync(request);
      if (fresh == null || fresh.getToken() == null || fresh.getExpiresAt() == null) {
        throw new IllegalStateException("Entra ID gave no access token for "
            + request.getScopes());
      }
      tokenUser = userName != null ? userName : TokenClaims.objectId(fresh.getToken());
      token = fresh;
    }
    return RedisCredentials.of(tokenUser, token.getToken())
        .expiringAt(token.getExpiresAt().toInstant());
  }

  @Override
  public String toString() {
    return "EntraIdCredentialsProvider[" + request.getScopes()
        + (userName == null ? ", user from the token's oid" : ", user " + userName) + "]";
  }
}
