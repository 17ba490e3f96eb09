/**
 * The storage interface beneath the JCache semantics: entries with absolute expiry times and
 * atomic single-key decisions. See docs/ARCHITECTURE.md for the contract of each operation.
 */
package io.github.cachelayer.store;
