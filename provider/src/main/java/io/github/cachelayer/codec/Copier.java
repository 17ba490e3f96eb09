package io.github.cachelayer.codec;

/**
 * Makes the independent copies that store-by-value promises: what a caller puts cannot be changed
 * through the caller's reference afterwards, and what a caller gets cannot change the cache.
 */
public interface Copier {
  /** Store-by-reference: hands out the same instance. */
  Copier IDENTITY = new Copier() {
    @Override
    public <T> T copy(T object) {
      return object;
    }

    @Override
    public String toString() {
      return "Copier.IDENTITY";
    }
  };

  /** An independent copy of {@code object}; immutable objects may be returned as they are. */
  <T> T copy(T object);
}
