/**
 * Values as bytes and as copies: Kryo (the default), Java and JSON codecs, the class allow-list,
 * encryption bound to a value's place, and the bounds that make decoding untrusted bytes safe.
 *
 * <p>A foundation: must not import {@code store}, {@code cache}, {@code local}, {@code redis},
 * or the helpers' types.
 */
package io.github.cachelayer.codec;
