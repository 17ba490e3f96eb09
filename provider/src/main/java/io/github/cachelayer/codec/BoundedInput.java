package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * Kryo's input over bytes from Redis, checking every length it is asked to read in bulk against
 * the bytes that remain before it allocates for it ({@link DecodeBudget#claim}): Kryo's own
 * reader allocates an array of whatever length the bytes claim.
 *
 * <p>One per pooled Kryo instance, reused for each decode: a fresh input per read allocated its
 * character buffer and grew it for every string longer than 32 characters (about a sixth of
 * the bytes a cache get allocated). It keeps no reference to the value's bytes between decodes,
 * and no character buffer larger than {@link #KEPT_CHARS}.
 */
final class BoundedInput extends Input {
  /** The largest character buffer kept between decodes (2 KiB); a larger one is dropped. */
  static final int KEPT_CHARS = 1_024;
  private static final byte[] NO_BYTES = new byte[0];

  private final DecodeBudget budget;

  BoundedInput(DecodeBudget budget) {
    super(NO_BYTES);
    this.budget = budget;
  }

  /** Starts reading {@code length} bytes of {@code bytes} from {@code offset}. */
  void reading(byte[] bytes, int offset, int length) {
    setBuffer(bytes, offset, length);
  }

  /** Drops the value's bytes, and a character buffer grown past {@link #KEPT_CHARS}. */
  void done() {
    setBuffer(NO_BYTES);
    if (chars.length > KEPT_CHARS) {
      chars = new char[32];
    }
  }

  /** The size of the character buffer kept now (for tests). */
  int keptChars() {
    return chars.length;
  }

  private long remaining() {
    return (long) limit - position;
  }

  @Override
  public byte[] readBytes(int length) throws KryoException {
    budget.claim(length, 1, remaining(), "a byte array");
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) throws KryoException {
    budget.claim(length, 4, remaining(), "an int array");
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) throws KryoException {
    budget.claim(length, 1, remaining(), "an int array");
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) throws KryoException {
    budget.claim(length, 8, remaining(), "a long array");
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) throws KryoException {
    budget.claim(length, 1, remaining(), "a long array");
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) throws KryoException {
    budget.claim(length, 4, remaining(), "a float array");
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) throws KryoException {
    budget.claim(length, 8, remaining(), "a double array");
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) throws KryoException {
    budget.claim(length, 2, remaining(), "a short array");
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) throws KryoException {
    budget.claim(length, 2, remaining(), "a char array");
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) throws KryoException {
    budget.claim(length, 1, remaining(), "a boolean array");
    return super.readBooleans(length);
  }

  @Override
  public String readString() {
    checkStringLength();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkStringLength();
    return super.readStringBuilder();
  }

  /**
   * A string that is not plain ASCII starts with its character count, and the reader makes a
   * char array of that size; each character takes at least one byte. (An ASCII string ends at
   * its last byte, so it cannot claim more than it has.)
   */
  private void checkStringLength() {
    if (position < limit && readVarIntFlag()) {
      int start = position;
      int count = readVarIntFlag(true);
      position = start;
      budget.claim(Math.max(0, count - 1), 1, remaining() - 1, "a string");
    }
  }
}
