/**
 * Spring Session on CacheLayer: a {@code FindByIndexNameSessionRepository} over the session
 * helper, and its auto-configuration (active with {@code spring-session-core} on the class path).
 * Uses only CacheLayer's public API and the helpers.
 */
package io.github.cachelayer.spring.session;
