package io.github.cachelayer.codec;

/**
 * Refuses to encode a value larger than a cache's {@code codec.max-value-size}, before anything
 * is written: one huge value can stall a Redis that serves every other request in turn.
 */
public final class SizeLimitedCodec implements ValueCodec {
  private final ValueCodec codec;
  private final String cacheName;
  private final long maxBytes;

  public SizeLimitedCodec(ValueCodec codec, String cacheName, long maxBytes) {
    this.codec = codec;
    this.cacheName = cacheName;
    this.maxBytes = maxBytes;
  }

  @Override
  public byte[] encode(Object value) {
    return checked(value, codec.encode(value));
  }

  @Override
  public byte[] encode(Object value, String place) {
    return checked(value, codec.encode(value, place));
  }

  @Override
  public byte[] encode(Object value, String place, int headroom) {
    byte[] bytes = codec.encode(value, place, headroom);
    checked(value, bytes.length - headroom);
    return bytes;
  }

  @Override
  public Object decode(byte[] bytes, int offset, String place) {
    return codec.decode(bytes, offset, place);
  }

  @Override
  public boolean bindsPlace() {
    return codec.bindsPlace();
  }

  private byte[] checked(Object value, byte[] bytes) {
    checked(value, bytes.length);
    return bytes;
  }

  private void checked(Object value, int length) {
    if (length > maxBytes) {
      throw new CodecException("Cache '" + cacheName + "': a " + value.getClass().getName()
          + " value takes " + length + " bytes, over codec.max-value-size (" + maxBytes
          + " bytes); nothing was written");
    }
  }

  @Override
  public Object decode(byte[] bytes) {
    return codec.decode(bytes);
  }

  @Override
  public Object decode(byte[] bytes, int offset) {
    return codec.decode(bytes, offset);
  }
}
