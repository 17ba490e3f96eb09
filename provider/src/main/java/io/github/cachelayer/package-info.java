/**
 * CacheLayer, a JCache (JSR-107) provider: {@link io.github.cachelayer.CacheLayerCachingProvider}
 * is the entry point. See docs/ARCHITECTURE.md for the layers.
 */
package io.github.cachelayer;
