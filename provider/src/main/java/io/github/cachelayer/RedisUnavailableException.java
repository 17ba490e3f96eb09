package io.github.cachelayer;

import javax.cache.CacheException;

/**
 * Redis did not serve an operation: it did not answer in time, refused the connection, is still
 * loading, is a replica during a failover, is out of memory, or the circuit breaker holds calls
 * back after such failures. Thrown under the {@code fail} outage policy; the other policies
 * answer without Redis instead. The message names the cache and the cause, never a key or value.
 */
public class RedisUnavailableException extends CacheException {
  private static final long serialVersionUID = 1L;

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
