/**
 * What the session manager ({@link io.github.cachelayer.session}) and the rate limiter
 * ({@link io.github.cachelayer.ratelimit}) share: finding their caches on any JCache provider.
 */
package io.github.cachelayer.helpers;
