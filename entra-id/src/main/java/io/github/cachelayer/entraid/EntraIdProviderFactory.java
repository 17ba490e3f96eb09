package io.github.cachelayer.entraid;

import com.azure.identity.DefaultAzureCredentialBuilder;
import io.github.cachelayer.credentials.RedisCredentialsProvider;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code cachelayer.redis.credentials.provider = entra-id}: Azure Identity's
 * {@code DefaultAzureCredential} (a managed identity, workload identity, environment variables
 * or a developer's sign-in, whichever the machine has), configured by the block's keys:
 * <ul>
 *   <li>{@code client-id}: the client id of a user-assigned managed identity (or of the workload
 *       identity);</li>
 *   <li>{@code tenant-id}: the tenant, where the machine's default is not the one;</li>
 *   <li>{@code user-name}: the Redis user, where it is not the token's object id;</li>
 *   <li>{@code scope}: the scope to ask tokens for (default {@code
 *       https://redis.azure.com/.default}).</li>
 * </ul>
 */
public final class EntraIdProviderFactory implements RedisCredentialsProvider.Factory {
  static final Set<String> KEYS = Set.of("client-id", "tenant-id", "user-name", "scope");

  @Override
  public String name() {
    return "entra-id";
  }

  @Override
  public RedisCredentialsProvider create(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("the entra-id provider has no key '" + key
            + "' (known: " + new TreeSet<>(KEYS) + ")");
      }
    }
    DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
    String clientId = blankToNull(options.get("client-id"));
    if (clientId != null) {
      builder.managedIdentityClientId(clientId).workloadIdentityClientId(clientId);
    }
    String tenantId = blankToNull(options.get("tenant-id"));
    if (tenantId != null) {
      builder.tenantId(tenantId);
    }
    String scope = blankToNull(options.get("scope"));
    return new EntraIdCredentialsProvider(builder.build(),
        scope == null ? EntraIdCredentialsProvider.REDIS_SCOPE : scope,
        blankToNull(options.get("user-name")));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
