/**
 * CacheLayer, a JCache (JSR-107) provider. Owns the entry points and the public API's top:
 * {@link io.github.cachelayer.CacheLayerCachingProvider} (found by ServiceLoader), the
 * {@link io.github.cachelayer.CacheLayerCacheManager}, which picks the mode (Redis or fallback)
 * and creates caches over its backend, the {@link io.github.cachelayer.CacheLayer} view of a
 * manager, and {@link io.github.cachelayer.RedisUnavailableException}.
 *
 * <p>Sits on top: it may import every package. No other package imports it, except to throw
 * {@code RedisUnavailableException}. See docs/ARCHITECTURE.md for the layers.
 */
package io.github.cachelayer;
