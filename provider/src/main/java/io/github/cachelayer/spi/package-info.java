/** The CacheManager of the JCache service provider interface. */
package io.github.cachelayer.spi;
