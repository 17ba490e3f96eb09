package io.github.cachelayer.entraid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.github.cachelayer.credentials.RedisCredentials;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class EntraIdCredentialsProviderTest {
  /** Issues tokens for the oid given, each expiring when told; records the scopes asked. */
  static final class Issuer implements TokenCredential {
    final AtomicReference<String> oid = new AtomicReference<>("oid-1");
    final AtomicReference<OffsetDateTime> expiry =
        new AtomicReference<>(OffsetDateTime.now().plusHours(1));
    final List<List<String>> asked = new CopyOnWriteArrayList<>();

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
      return Mono.fromCallable(() -> getTokenSync(request));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
      asked.add(request.getScopes());
      return new AccessToken(Tokens.forObject(oid.get()), expiry.get());
    }
  }

  @Test
  void theTokenIsThePasswordItsObjectIdTheUserAndItsExpiryTheCredentialsExpiry() {
    Issuer issuer = new Issuer();
    RedisCredentials credentials = new EntraIdCredentialsProvider(issuer).credentials();
    assertEquals("oid-1", credentials.username());
    assertEquals(issuer.expiry.get().toInstant(), credentials.expiresAt());
    assertEquals(List.of(List.of("https://redis.azure.com/.default")), issuer.asked);
    assertFalse(credentials.toString().contains(credentials.password()));
  }

  @Test
  void aTokenIsKeptUntilTenMinutesBeforeItExpires() {
    Issuer issuer = new Issuer();
    EntraIdCredentialsProvider provider = new EntraIdCredentialsProvider(issuer);
    RedisCredentials first = provider.credentials();
    assertEquals(first.password(), provider.credentials().password());
    assertEquals(1, issuer.asked.size());

    issuer.expiry.set(OffsetDateTime.now().plusMinutes(9));
    EntraIdCredentialsProvider nearExpiry = new EntraIdCredentialsProvider(issuer);
    RedisCredentials soon = nearExpiry.credentials();
    RedisCredentials again = nearExpiry.credentials();
    assertNotEquals(soon.password(), again.password(), "a token within 10 minutes of its "
        + "expiry is replaced");
  }

  @Test
  void aGivenUserNameAndScopeAreUsed() {
    Issuer issuer = new Issuer();
    RedisCredentials credentials =
        new EntraIdCredentialsProvider(issuer, "api://custom/.default", "app-user").credentials();
    assertEquals("app-user", credentials.username());
    assertEquals(List.of(List.of("api://custom/.default")), issuer.asked);
  }

  @Test
  void theFactoryRefusesKeysItDoesNotKnow() {
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
        () -> new EntraIdProviderFactory().create(Map.of("clientid", "x")));
    assertTrue(thrown.getMessage().contains("no key 'clientid'"), thrown.getMessage());
    assertTrue(thrown.getMessage().contains("client-id"), thrown.getMessage());
  }
}
