/**
 * CacheLayer's own sockets to Redis nodes, beside the client's: opened the way the client
 * reaches them (TLS trust, host name check, credentials, timeouts), read by the project's one
 * RESP reader ({@code io.github.cachelayer.resp.RespConnection}, every length and depth bounded).
 * The near cache tracks keys on them; credential renewal checks new credentials on them before
 * any live connection uses them.
 *
 * <p>The bottom of Redis mode beside {@code redis.link}: imports no other {@code redis} package
 * and not the Redis client.
 */
package io.github.cachelayer.redis.socket;
