/**
 * The storage contract beneath the JCache semantics: {@link io.github.cachelayer.store.Store}
 * (entries with absolute expiry times, atomic single-key decisions, the hooks a shared store
 * needs for other JVMs' listeners and loads) and {@link io.github.cachelayer.store.Backend},
 * which makes a manager's stores. docs/ARCHITECTURE.md states each operation's contract.
 *
 * <p>Must not import {@code cache}, {@code local}, {@code redis} or the Redis client.
 */
package io.github.cachelayer.store;
