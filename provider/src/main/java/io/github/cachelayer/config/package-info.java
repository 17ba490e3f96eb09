/** Configuration: the file a CacheManager's URI names, reference.conf, and the environment. */
package io.github.cachelayer.config;
