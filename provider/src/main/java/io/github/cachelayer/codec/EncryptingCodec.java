package io.github.cachelayer.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts what another codec produces with AES-GCM, for caches of sensitive data: Redis (and
 * anyone reading its memory, backups or replication stream) only sees ciphertext.
 *
 * <p>Each value is encrypted under a key of its own, derived from the configured key and a
 * random 128-bit salt (HKDF-SHA256): no key encrypts more than one value, so GCM's limit on
 * encryptions per key (2<sup>32</sup> with random IVs) is out of reach however many values are
 * written. The value's <em>place</em> (its Redis key, which names the namespace, the cache and
 * the entry's key) is authenticated with it: ciphertext copied under another key, cache or
 * namespace, or altered by one bit, fails to decrypt (the store reads it as absent, with one
 * WARN). Every value carries the id of the configured key it was derived from, so keys can be
 * rotated: new values use the current key, older ones stay readable while their key is still
 * configured.
 *
 * <p>Format: {@code 'F'}, the key id's length (one byte) and UTF-8 bytes, the 16-byte salt, then
 * the ciphertext with its 16-byte tag (the IV is fixed: the key is used once). Associated data:
 * the format byte, the key id, the salt and the place. Only values are encrypted; keys stay
 * readable, so keep sensitive data out of keys. Values in the first format ({@code 'E'}, bound to
 * nothing but the key id) are refused: they could be moved.
 */
public final class EncryptingCodec implements ValueCodec {
  private static final byte FORMAT = 'F';
  private static final byte FIRST_FORMAT = 'E';
  private static final int SALT_BYTES = 16;
  private static final int TAG_BITS = 128;
  private static final byte[] IV = new byte[12];
  private static final byte[] INFO = "cachelayer value key".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ValueCodec inner;
  private final String currentKeyId;
  private final Map<String, byte[]> keys;

  /**
   * @param keys AES keys (16, 24 or 32 bytes) by id
   * @param currentKeyId the id of the key new values are encrypted with
   */
  public EncryptingCodec(ValueCodec inner, String currentKeyId, Map<String, byte[]> keys) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.currentKeyId = Objects.requireNonNull(currentKeyId, "currentKeyId");
    if (currentKeyId.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("An encryption key id has at most 255 bytes");
    }
    java.util.HashMap<String, byte[]> copies = new java.util.HashMap<>();
    keys.forEach((id, key) -> {
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new IllegalArgumentException("Encryption key '" + id
            + "' must be 128, 192 or 256 bits, not " + key.length * 8);
      }
      copies.put(id, key.clone());
    });
    if (!copies.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("No encryption key with the current id '"
          + currentKeyId + "'");
    }
    this.keys = Map.copyOf(copies);
  }

  @Override
  public boolean bindsPlace() {
    return true;
  }

  /** Without a place the value is bound to none: it decrypts only where no place is given. */
  @Override
  public byte[] encode(Object value) {
    return encode(value, "");
  }

  @Override
  public Object decode(byte[] bytes) {
    return decode(bytes, 0, "");
  }

  @Override
  public Object decode(byte[] bytes, int offset) {
    return decode(bytes, offset, "");
  }

  @Override
  public byte[] encode(Object value, String place) {
    byte[] plain = inner.encode(value);
    byte[] id = currentKeyId.getBytes(StandardCharsets.UTF_8);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] header = ByteBuffer.allocate(2 + id.length + SALT_BYTES)
        .put(FORMAT).put((byte) id.length).put(id).put(salt).array();
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), salt);
      cipher.updateAAD(header);
      cipher.updateAAD(place.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      byte[] out = Arrays.copyOf(header, header.length + sealed.length);
      System.arraycopy(sealed, 0, out, header.length, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new CodecException("Cannot encrypt a value", e);
    }
  }

  @Override
  public Object decode(byte[] bytes, int offset, String place) {
    int length = bytes.length - offset;
    if (length >= 1 && bytes[offset] == FIRST_FORMAT) {
      throw new CodecException("An encrypted value in the first format, which is not bound to "
          + "its key and cache (written before the upgrade; it is read again from the source)");
    }
    if (length < 2 || bytes[offset] != FORMAT) {
      throw new CodecException("Not an encrypted value (written before encryption was on?)");
    }
    int idLength = bytes[offset + 1] & 0xff;
    int headerLength = 2 + idLength + SALT_BYTES;
    if (length < headerLength + TAG_BITS / 8) {
      throw new CodecException("Truncated encrypted value");
    }
    String keyId = new String(bytes, offset + 2, idLength, StandardCharsets.UTF_8);
    byte[] key = keys.get(keyId);
    if (key == null) {
      throw new CodecException("The value was encrypted with key '" + keyId
          + "', which is not configured (rotated out?)");
    }
    byte[] salt = Arrays.copyOfRange(bytes, offset + 2 + idLength, offset + headerLength);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, salt);
      cipher.updateAAD(bytes, offset, headerLength);
      cipher.updateAAD(place.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, offset + headerLength, length - headerLength);
      return inner.decode(plain);
    } catch (GeneralSecurityException e) {
      throw new CodecException("Cannot decrypt a value with key '" + keyId + "' (wrong key, "
          + "the bytes were altered, or they were copied from another key or cache)", e);
    }
  }

  /** AES-GCM under the value's own key: HKDF-SHA256 of the configured key with its salt. */
  private static Cipher cipher(int mode, byte[] configuredKey, byte[] salt)
      throws GeneralSecurityException {
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] pseudoRandomKey = hmac.doFinal(configuredKey);
    hmac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
    hmac.update(INFO);
    hmac.update((byte) 1);
    byte[] valueKey = hmac.doFinal();
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(valueKey, "AES"), new GCMParameterSpec(TAG_BITS, IV));
    return cipher;
  }

  @Override
  public String toString() {
    return "EncryptingCodec[" + inner + ", key " + currentKeyId + "]";
  }
}
