package io.entrabackup.cluster.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM with a random 96-bit nonce and a 128-bit tag, the one primitive for data keys and directory content. */
final class Gcm {

  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final int KEY_BYTES = 32;

  /** A Cipher per thread: getInstance looks up providers on every call, which costs more than sealing a small value. */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/GCM", e);
    }
  });
  /** A DRBG per thread: one shared SecureRandom serializes every seal of the node on its lock. */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Gcm::newRandom);

  private Gcm() {}

  static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.get().nextBytes(bytes);
    return bytes;
  }

  /**
   * Writes nonce then ciphertext+tag into {@code out} at {@code offset} (which must have room: {@link #sealedLength});
   * the AAD is {@code aadParts} in order.
   */
  static void seal(SecretKey key, byte[] plain, byte[] out, int offset, byte[]... aadParts) {
    byte[] nonce = randomBytes(NONCE_BYTES);
    System.arraycopy(nonce, 0, out, offset, NONCE_BYTES);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      for (byte[] aad : aadParts) {
        cipher.updateAAD(aad);
      }
      cipher.doFinal(plain, 0, plain.length, out, offset + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  static int sealedLength(int plainLength) {
    return NONCE_BYTES + plainLength + TAG_BITS / 8;
  }

  /** The plaintext of nonce+ciphertext+tag at {@code sealed[offset..]}; {@link CiphertextRejected} if it fails. */
  static byte[] open(SecretKey key, byte[] sealed, int offset, byte[]... aadParts) {
    if (sealed.length - offset < NONCE_BYTES + TAG_BITS / 8) {
      throw new CiphertextRejected("ciphertext too short");
    }
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, offset, NONCE_BYTES));
      for (byte[] aad : aadParts) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(sealed, offset + NONCE_BYTES, sealed.length - offset - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new CiphertextRejected("ciphertext does not authenticate: altered, or stored elsewhere than it was sealed for");
    } catch (GeneralSecurityException e) {
      throw new CiphertextRejected("ciphertext cannot be decrypted", e);
    }
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (GeneralSecurityException e) {
      return new SecureRandom();
    }
  }
}
