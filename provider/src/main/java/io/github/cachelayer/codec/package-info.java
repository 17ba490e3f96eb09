/** Value copies for store-by-value, and (with Redis mode) the codecs that turn values into bytes. */
package io.github.cachelayer.codec;
