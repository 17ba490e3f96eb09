/**
 * Spring Boot auto-configuration for CacheLayer: Boot's JCache support on CacheLayer by properties
 * alone, the application's packages shared across nodes, health and Micrometer meters.
 */
package io.github.cachelayer.spring;
