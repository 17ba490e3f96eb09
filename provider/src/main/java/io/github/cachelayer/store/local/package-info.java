/** The local store of fallback mode, on Caffeine. */
package io.github.cachelayer.store.local;
