package io.github.cachelayer.codec;

import com.esotericsoftware.kryo.KryoException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one decode of bytes from Redis may cost, and what it has cost so far. Bytes in Redis are
 * written by whoever can reach it, so every count they claim is checked before anything is made
 * of it, and the object graph they describe may only be as large as the bytes justify:
 *
 * <ul>
 *   <li><b>allocations</b>: a length read from the bytes (an array, a string, a collection's
 *       size) may not exceed the bytes that remain, and all of them together may not exceed
 *       {@link #ALLOCATION_FACTOR} times the value's size (plus a little): a length field of
 *       2<sup>31</sup> in an 8-byte value is refused before anything is allocated;
 *   <li><b>depth</b>: at most {@link #MAX_DEPTH} nested objects (Kryo's own limit), so no
 *       value can exhaust the stack;
 *   <li><b>expanded size</b>: an object read twice (a back-reference) counts with everything
 *       under it every time, as a recursive {@code hashCode}, {@code equals} or {@code toString}
 *       would visit it; a value whose graph expands past {@link #expansionLimit} objects is
 *       refused. This is what keeps nested sets that share their members (2<sup>n</sup> work
 *       for n levels in a few hundred bytes) from pinning a core;
 *   <li><b>hashing</b>: every element put into a hashed set or map (as key) is charged its
 *       expanded size, within the same limit, and no more than {@link #MAX_SAME_HASH} elements
 *       of one hashed collection may share a hash code (colliding keys make each insertion
 *       compare with all the others).
 * </ul>
 *
 * One budget per Kryo instance, reset at each top-level decode (Kryo instances are used by one
 * thread at a time).
 */
final class DecodeBudget {
  /** The deepest nesting of objects a value may have (also when it is written). */
  static final int MAX_DEPTH = 256;
  /** Elements and array slots a value may claim per byte of its size. */
  static final int ALLOCATION_FACTOR = 64;
  /** Elements a small value may always claim. */
  static final int ALLOCATION_BASE = 4_096;
  /** Objects a value's graph may expand to per byte of its size (shared parts counted each time). */
  static final int EXPANSION_FACTOR = 16;
  /** Objects any value may expand to. */
  static final int EXPANSION_BASE = 100_000;
  /** Elements of one hashed collection that may share a hash code. */
  static final int MAX_SAME_HASH = 16;

  private long allocationLimit;
  private long allocated;
  private long expansionLimit;
  private long hashWork;
  private boolean active;

  // The objects being read, innermost last: the expanded size of their children so far, their
  // reference id (or -1), whether they turned out to be a back-reference, the object itself
  // once known (a collection registers itself before its elements), and, for hashed
  // collections, the hash codes of their elements so far.
  private int top = -1;
  private long[] childSizes = new long[32];
  private int[] ids = new int[32];
  private int[] referenceIds = new int[32];
  private Object[] objects = new Object[32];
  private int[] childIndex = new int[32];
  @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
  private Map<Integer, int[]>[] hashes = new Map[32];
  /** The expanded size of each object read so far, by reference id (0: still being read). */
  private long[] sizesById = new long[64];

  /** Starts a decode of {@code bytes} bytes. */
  void start(int bytes) {
    active = true;
    allocated = 0;
    hashWork = 0;
    allocationLimit = (long) ALLOCATION_FACTOR * bytes + ALLOCATION_BASE;
    expansionLimit = (long) EXPANSION_FACTOR * bytes + EXPANSION_BASE;
    top = -1;
    Arrays.fill(sizesById, 0);
  }

  void finish() {
    active = false;
    Arrays.fill(objects, null);
    Arrays.fill(hashes, null);
  }

  boolean isActive() {
    return active;
  }

  /**
   * A count read from the bytes: {@code count} elements of at least {@code minBytes} bytes
   * each must fit in the {@code remaining} bytes (0: elements that take no bytes, such as a
   * collection of nulls), and all counts together within the allocation limit.
   */
  void claim(long count, int minBytes, long remaining, String what) {
    if (!active) {
      return;
    }
    if (count < 0) {
      throw new KryoException("a negative length (" + count + ") for " + what);
    }
    if (minBytes > 0 && count > remaining / minBytes) {
      throw new KryoException(what + " claims " + count + " elements but only " + remaining
          + " bytes remain");
    }
    allocated += count;
    if (allocated > allocationLimit) {
      throw new KryoException(what + " claims " + count + " elements, more than a value of "
          + "this size may hold (" + allocationLimit + " in all)");
    }
  }

  /** Before one object is read. */
  void enter() {
    if (!active) {
      return;
    }
    int at = ++top;
    if (at == childSizes.length) {
      int size = at * 2;
      childSizes = Arrays.copyOf(childSizes, size);
      ids = Arrays.copyOf(ids, size);
      referenceIds = Arrays.copyOf(referenceIds, size);
      objects = Arrays.copyOf(objects, size);
      childIndex = Arrays.copyOf(childIndex, size);
      hashes = Arrays.copyOf(hashes, size);
    }
    childSizes[at] = 0;
    ids[at] = -1;
    referenceIds[at] = -1;
    objects[at] = null;
    childIndex[at] = 0;
    hashes[at] = null;
  }

  /** The object being read got reference id {@code id}. */
  void newObject(int id) {
    if (active && top >= 0 && ids[top] < 0 && referenceIds[top] < 0) {
      ids[top] = id;
      if (id >= sizesById.length) {
        sizesById = Arrays.copyOf(sizesById, Math.max(id + 1, sizesById.length * 2));
      }
      sizesById[id] = 0;
    }
  }

  /** The object with reference id {@code id} is known (a collection, before its elements). */
  void known(int id, Object object) {
    if (active && top >= 0 && ids[top] == id) {
      objects[top] = object;
    }
  }

  /** The object being read is a back-reference to the one with id {@code id}. */
  void backReference(int id) {
    if (active && top >= 0) {
      referenceIds[top] = id;
    }
  }

  /** After one object was read (null included); checks and charges its expanded size. */
  void exit(Object result) {
    if (!active || top < 0) {
      return;
    }
    int at = top--;
    long size;
    int referenceId = referenceIds[at];
    if (referenceId >= 0) {
      // Everything under it again, or (still being read: a cycle) just the reference.
      size = referenceId < sizesById.length && sizesById[referenceId] > 0
          ? sizesById[referenceId] : 1;
    } else {
      size = 1 + childSizes[at];
      if (ids[at] >= 0) {
        sizesById[ids[at]] = size;
      }
    }
    objects[at] = null;
    hashes[at] = null;
    if (size > expansionLimit) {
      throw new KryoException("the value's object graph expands to more than " + expansionLimit
          + " objects (parts shared many times over)");
    }
    if (at > 0) {
      int parent = at - 1;
      childSizes[parent] += size;
      if (childSizes[parent] > expansionLimit) {
        throw new KryoException("the value's object graph expands to more than "
            + expansionLimit + " objects (parts shared many times over)");
      }
      int index = childIndex[parent]++;
      Object container = objects[parent];
      if (result != null && isHashed(container) && isKeyPosition(container, index)) {
        hashed(parent, result, size);
      }
    }
  }

  /**
   * Elements about to be hashed together (a set rebuilt from a list): no more than
   * {@link #MAX_SAME_HASH} may share a hash code. Their expanded sizes were counted as they were
   * read, so hashing them costs no more than that.
   */
  void checkHashes(Iterable<?> elements) {
    if (!active) {
      return;
    }
    Map<Integer, int[]> seen = new HashMap<>();
    for (Object element : elements) {
      if (element != null
          && ++seen.computeIfAbsent(element.hashCode(), hash -> new int[1])[0] > MAX_SAME_HASH) {
        throw new KryoException("more than " + MAX_SAME_HASH + " elements of one set share a "
            + "hash code (a hash-flooding shape)");
      }
    }
  }

  /** A set's elements and a map's keys are hashed; a map reads key, value, key, value. */
  private static boolean isKeyPosition(Object container, int index) {
    return !(container instanceof Map) || index % 2 == 0;
  }

  private static boolean isHashed(Object container) {
    return container instanceof java.util.HashSet || container instanceof HashMap
        || container instanceof Hashtable || container instanceof ConcurrentHashMap;
  }

  private void hashed(int parent, Object element, long size) {
    hashWork += size;
    if (hashWork > expansionLimit) {
      throw new KryoException("decoding the value would hash more than " + expansionLimit
          + " objects (nested hashed collections)");
    }
    Map<Integer, int[]> seen = hashes[parent];
    if (seen == null) {
      seen = new HashMap<>();
      hashes[parent] = seen;
    }
    int[] count = seen.computeIfAbsent(element.hashCode(), hash -> new int[1]);
    if (++count[0] > MAX_SAME_HASH) {
      throw new KryoException("more than " + MAX_SAME_HASH + " elements of one hashed "
          + "collection share a hash code (a hash-flooding shape)");
    }
  }
}
