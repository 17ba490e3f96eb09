package io.github.cachelayer.codec;

/**
 * Turns keys and values into bytes for a remote store, and back. Implementations must refuse to
 * decode classes the cache does not allow: bytes in Redis are written by other processes.
 */
public interface ValueCodec {
  byte[] encode(Object value);

  /**
   * @throws CodecException if the bytes cannot be decoded, or name a class that is not allowed
   */
  Object decode(byte[] bytes);

  /**
   * Decodes {@code bytes} from {@code offset} on: a stored entry carries a header before its
   * payload, and a codec that can read in place spares a copy per entry.
   */
  default Object decode(byte[] bytes, int offset) {
    return decode(offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, bytes.length));
  }
}
