/** Small helpers shared by the other packages. */
package io.github.cachelayer.util;
