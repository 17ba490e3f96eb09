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

  /**
   * Encodes a value that will be stored under {@code place} (the entry's Redis key, which
   * names the namespace, the cache and the key). A codec may bind its bytes to the place, so that
   * bytes copied to another key or cache are refused there ({@link EncryptingCodec} does).
   */
  default byte[] encode(Object value, String place) {
    return encode(value);
  }

  /**
   * {@link #encode(Object, String)} with {@code headroom} bytes in front of the payload, for
   * the caller to overwrite with its header: a codec that writes into a buffer of its own can
   * leave the room there and spare the copy a header otherwise costs (a store writes every
   * entry with one). The default copies.
   */
  default byte[] encode(Object value, String place, int headroom) {
    byte[] payload = encode(value, place);
    byte[] bytes = new byte[headroom + payload.length];
    System.arraycopy(payload, 0, bytes, headroom, payload.length);
    return bytes;
  }

  /** Decodes bytes read from {@code place}; see {@link #encode(Object, String)}. */
  default Object decode(byte[] bytes, int offset, String place) {
    return decode(bytes, offset);
  }

  /**
   * Whether the value in these bytes is keyed by a secret (a session's id is a credential), so
   * that logs and messages show only the key's start.
   */
  default boolean keyIsSecret(byte[] bytes, int offset) {
    return false;
  }

  /** Whether {@link #decode(byte[], int, String)} needs the place (so callers can spare it). */
  default boolean bindsPlace() {
    return false;
  }
}
