/** Statistics and the JCache management MXBeans on the platform MBean server. */
package io.github.cachelayer.management;
