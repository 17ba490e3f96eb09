/**
 * Small helpers every layer may use: clocks, background threads, quiet closing, and the
 * manager overrides tests and benchmarks use.
 *
 * <p>A foundation: imports no other CacheLayer package.
 */
package io.github.cachelayer.util;
