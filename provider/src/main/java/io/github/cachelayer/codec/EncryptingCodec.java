package io.github.cachelayer.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts what another codec produces with AES-GCM, for caches of sensitive data: Redis (and
 * anyone reading its memory, backups or replication stream) only sees ciphertext. Every value
 * carries the id of the key that encrypted it, so keys can be rotated: new values use the current
 * key, older values stay readable while their key is still configured.
 *
 * <p>Format: {@code 'E'}, the key id's length (one byte) and UTF-8 bytes, a 12-byte random IV,
 * then the ciphertext with its 16-byte tag. The key id is authenticated as associated data.
 * Only values are encrypted; keys stay readable, so keep sensitive data out of keys.
 */
public final class EncryptingCodec implements ValueCodec {
  private static final byte FORMAT = 'E';
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ValueCodec inner;
  private final String currentKeyId;
  private final Map<String, SecretKeySpec> keys;

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
    java.util.HashMap<String, SecretKeySpec> specs = new java.util.HashMap<>();
    keys.forEach((id, key) -> {
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new IllegalArgumentException("Encryption key '" + id
            + "' must be 128, 192 or 256 bits, not " + key.length * 8);
      }
      specs.put(id, new SecretKeySpec(key, "AES"));
    });
    if (!specs.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("No encryption key with the current id '"
          + currentKeyId + "'");
    }
    this.keys = Map.copyOf(specs);
  }

  @Override
  public byte[] encode(Object value) {
    byte[] plain = inner.encode(value);
    byte[] id = currentKeyId.getBytes(StandardCharsets.UTF_8);
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(id);
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(2 + id.length + IV_BYTES + sealed.length)
          .put(FORMAT).put((byte) id.length).put(id).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new CodecException("Cannot encrypt a value", e);
    }
  }

  @Override
  public Object decode(byte[] bytes) {
    if (bytes.length < 2 + IV_BYTES || bytes[0] != FORMAT) {
      throw new CodecException("Not an encrypted value (written before encryption was on?)");
    }
    int idLength = bytes[1] & 0xff;
    if (bytes.length < 2 + idLength + IV_BYTES) {
      throw new CodecException("Truncated encrypted value");
    }
    byte[] id = java.util.Arrays.copyOfRange(bytes, 2, 2 + idLength);
    String keyId = new String(id, StandardCharsets.UTF_8);
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new CodecException("The value was encrypted with key '" + keyId
          + "', which is not configured (rotated out?)");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key,
          new GCMParameterSpec(TAG_BITS, bytes, 2 + idLength, IV_BYTES));
      cipher.updateAAD(id);
      int offset = 2 + idLength + IV_BYTES;
      return inner.decode(cipher.doFinal(bytes, offset, bytes.length - offset));
    } catch (GeneralSecurityException e) {
      throw new CodecException("Cannot decrypt a value with key '" + keyId
          + "' (wrong key, or the bytes were altered)", e);
    }
  }

  @Override
  public String toString() {
    return "EncryptingCodec[" + inner + ", key " + currentKeyId + "]";
  }
}
