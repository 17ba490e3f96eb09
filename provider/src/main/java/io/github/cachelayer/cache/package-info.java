/**
 * The JCache semantics, written once above the {@link io.github.cachelayer.store.Store}
 * interface: expiry policies, events, statistics, loaders, writers, entry processors, and the
 * public {@link io.github.cachelayer.cache.CacheLayerCache} with its integration view
 * (statistics, near-cache statistics, outage status).
 *
 * <p>Must not import {@code local}, {@code redis} or the Redis client: what differs between
 * modes lives below the store interface.
 */
package io.github.cachelayer.cache;
