package io.github.cachelayer.redis.store;

import io.github.cachelayer.codec.ValueCodec;
import java.util.Base64;

/**
 * The Redis key of each entry: {@code <namespace>:<cache>:<key>}. String keys are written as they
 * are, so operators can read them in redis-cli; Integer and Long keys as {@code #i:42} /
 * {@code #l:42}; any other key as {@code #k:} and the URL-safe Base64 of its codec bytes. A string
 * key that itself starts with {@code #} is written {@code #s:<key>}, so no two keys collide.
 *
 * <p>The namespace and cache segments escape {@code %}, {@code :}, the curly braces and the
 * glob characters, so that one cache's SCAN pattern can never match another cache's keys, and no
 * name becomes a cluster hash tag that would pin a cache to one slot.
 */
final class KeyNames {
  private final String prefix;
  private final String leasePrefix;
  private final String claimPrefix;
  private final ValueCodec codec;

  KeyNames(String namespace, String cacheName, ValueCodec codec) {
    this.prefix = segment(namespace) + ":" + segment(cacheName) + ":";
    this.leasePrefix = segment(namespace) + "::lease:" + segment(cacheName) + ":";
    this.claimPrefix = segment(namespace) + "::claim:" + segment(cacheName) + ":";
    this.codec = codec;
  }

  /** The read-through lease of a key: outside the cache's own pattern, so never scanned as an entry. */
  String leaseKey(Object key) {
    return leasePrefix + redisKey(key).substring(prefix.length());
  }

  /**
   * The compare-and-set claim of an entry key (compare-and-set.lua): in the entry's cluster slot,
   * since one script reads both, and outside every cache's SCAN pattern. Null for the rare key
   * that has a '}' but no hash tag: no other name shares its slot in a form built from it.
   */
  String claimKey(String redisKey) {
    int open = redisKey.indexOf('{');
    int close = open < 0 ? -1 : redisKey.indexOf('}', open + 1);
    if (close > open + 1) {
      // The key's own hash tag picks its slot; the claim keeps it (the segments have no braces).
      return claimPrefix + redisKey.substring(prefix.length());
    }
    if (redisKey.indexOf('}') < 0) {
      // The whole key picks its slot: make the whole key the claim's hash tag.
      return "{" + redisKey + "}~claim";
    }
    return null;
  }

  /** Escapes a namespace or cache name for use as one key segment. */
  static String segment(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '%', ':', '{', '}', '*', '?', '[', ']', '\\' ->
            out.append('%').append(String.format("%02X", (int) c));
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The SCAN pattern of exactly this cache's keys (the segments contain no glob characters). */
  String pattern() {
    return prefix + "*";
  }

  String prefix() {
    return prefix;
  }

  String redisKey(Object key) {
    if (key instanceof String text) {
      return prefix + (text.startsWith("#") ? "#s:" + text : text);
    }
    if (key instanceof Integer number) {
      return prefix + "#i:" + number;
    }
    if (key instanceof Long number) {
      return prefix + "#l:" + number;
    }
    return prefix + "#k:" + Base64.getUrlEncoder().withoutPadding().encodeToString(codec.encode(key));
  }

  /** The cache key of a Redis key of this cache; throws if the key cannot be decoded. */
  Object cacheKey(String redisKey) {
    String text = redisKey.substring(prefix.length());
    if (!text.startsWith("#")) {
      return text;
    }
    if (text.startsWith("#s:")) {
      return text.substring(3);
    }
    if (text.startsWith("#i:")) {
      return Integer.valueOf(text.substring(3));
    }
    if (text.startsWith("#l:")) {
      return Long.valueOf(text.substring(3));
    }
    if (text.startsWith("#k:")) {
      return codec.decode(Base64.getUrlDecoder().decode(text.substring(3)));
    }
    throw new IllegalArgumentException("not a CacheLayer key: " + redisKey);
  }
}
