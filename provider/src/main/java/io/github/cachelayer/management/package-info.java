/**
 * What a cache reports: JCache statistics and the management MXBeans on the platform MBean
 * server, health, near-cache statistics and outage status (the records integrations read).
 *
 * <p>A foundation: must not import {@code store}, {@code cache}, {@code local} or {@code redis}.
 */
package io.github.cachelayer.management;
