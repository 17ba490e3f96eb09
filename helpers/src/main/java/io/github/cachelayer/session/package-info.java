/**
 * Sessions on the standard {@code javax.cache} API ({@link io.github.cachelayer.session.SessionManager}):
 * sliding and absolute expiry, id regeneration, a self-cleaning per-user index, atomic merges.
 */
package io.github.cachelayer.session;
