package io.github.cachelayer.codec;

import javax.cache.CacheException;

/** Bytes that could not be turned into a value (corrupt, incompatible, or a refused class). */
public final class CodecException extends CacheException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
