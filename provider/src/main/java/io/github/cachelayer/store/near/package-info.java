/**
 * The near cache: local copies of Redis entries, kept true by Redis's own invalidations
 * (CLIENT TRACKING in broadcast mode, one connection per master), with a heartbeat that proves
 * them current before each is served.
 */
package io.github.cachelayer.store.near;
