package io.github.cachelayer.store;

/**
 * Told about entries a store dropped on its own: by its size bound, or expired and reclaimed
 * without anyone reading them. Called on the thread that did the reclaiming.
 */
@FunctionalInterface
public interface EvictionListener<K, V> {
  void onEviction(K key, StoredEntry<V> entry, boolean expired);
}
