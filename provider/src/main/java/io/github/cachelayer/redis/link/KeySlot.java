package io.github.cachelayer.redis.link;

import io.github.cachelayer.internal.redisson.connection.CRC16;
import java.nio.charset.StandardCharsets;

/**
 * The hash slot Redis Cluster (and a server that shards the same way behind one endpoint)
 * gives a key: CRC16 of the key, or of its hash tag (the text between the first '{' and the
 * next '}', when not empty), modulo 16,384.
 */
final class KeySlot {
  static final int SLOTS = 16_384;

  private KeySlot() {}

  static int of(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        key = key.substring(open + 1, close);
      }
    }
    return CRC16.crc16(key.getBytes(StandardCharsets.UTF_8)) % SLOTS;
  }
}
