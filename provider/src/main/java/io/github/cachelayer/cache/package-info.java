/** The JCache semantics, once, above the storage interface. */
package io.github.cachelayer.cache;
