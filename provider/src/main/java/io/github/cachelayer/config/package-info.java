/**
 * Configuration: the file a manager's URI names, reference.conf and the environment
 * ({@code REDIS_URL} and friends), parsed into settings; {@code CacheLayerConfiguration} for
 * code.
 *
 * <p>A foundation: must not import {@code store}, {@code cache}, {@code local} or {@code redis}.
 */
package io.github.cachelayer.config;
