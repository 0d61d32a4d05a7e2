package io.entrabackup.cluster.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One tenant's data keys, unwrapped: seals and opens what is stored for it. Synchronous and thread-safe; get it from
 * {@link TenantKeyring#cipherFor}.
 *
 * <p>Ciphertext: 1 byte format ({@code 1} = AES-256-GCM), the data key version (4 bytes, big-endian), a random 12-byte
 * nonce, then the GCM ciphertext and its 16-byte tag. The AAD is the 5 header bytes, the tenant id and the caller's
 * {@link Aad} naming where the value is stored, so a value opens only in the tenant, table and row it was sealed for.
 * With encryption off ({@code entra-backup.encryption.enabled = off}) values are stored as format {@code 0} followed by
 * the plaintext; both formats open, whatever the setting, so a keyspace may hold both.
 */
public final class TenantCipher {

  static final byte PLAIN = 0;
  static final byte AES_GCM = 1;
  private static final int HEADER_BYTES = 1 + Integer.BYTES;
  private static final String MAC_ALGORITHM = "HmacSHA256";
  /** Used without any master key configured and encryption off: indexes then are plain (public) hashes. */
  private static final byte[] UNKEYED = sha256("entra-backup unkeyed index and hash key");

  private final String tenantId;
  private final byte[] tenantAad;
  private final Map<Integer, SecretKey> keys;
  private final int currentVersion;
  private final boolean sealing;
  /** Initialized once and never updated: each hash starts from a clone (a key set up per value costs more). */
  private final Mac macPrototype;

  private TenantCipher(String tenantId, Map<Integer, byte[]> dataKeys, boolean sealing) {
    this.tenantId = tenantId;
    this.tenantAad = Aad.of(tenantId);
    TreeMap<Integer, SecretKey> byVersion = new TreeMap<>();
    dataKeys.forEach((version, key) -> byVersion.put(version, new SecretKeySpec(key, "AES")));
    this.keys = Map.copyOf(byVersion);
    this.currentVersion = byVersion.isEmpty() ? 0 : byVersion.lastKey();
    this.sealing = sealing && !byVersion.isEmpty();
    // The index and hash key comes from the first data key, so it stays the same when data keys are rotated: a new
    // data key version must not change the blind index of a name that did not change.
    SecretKey macKey = new SecretKeySpec(byVersion.isEmpty() ? UNKEYED
        : hmac(dataKeys.get(byVersion.firstKey()), "entra-backup index and hash key v1"), MAC_ALGORITHM);
    this.macPrototype = newMac();
    try {
      macPrototype.init(macKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
  }

  /** A cipher over these unwrapped data keys (version to key); {@code sealing} off stores plaintext (format 0). */
  static TenantCipher of(String tenantId, Map<Integer, byte[]> dataKeys, boolean sealing) {
    return new TenantCipher(tenantId, dataKeys, sealing);
  }

  /** Without keys: stores plaintext, opens only plaintext, indexes with a public key (encryption off, no master key). */
  static TenantCipher unkeyed(String tenantId) {
    return new TenantCipher(tenantId, Map.of(), false);
  }

  public String tenantId() {
    return tenantId;
  }

  /** Whether {@link #seal} encrypts (else it marks the plaintext as such). */
  public boolean sealing() {
    return sealing;
  }

  /** The data key version new values are sealed with. */
  public int currentKeyVersion() {
    return currentVersion;
  }

  /** {@code plain} encrypted under the current data key, bound to {@code aad} (see {@link Aad}). */
  public byte[] seal(byte[] plain, byte[] aad) {
    if (!sealing) {
      byte[] out = new byte[1 + plain.length];
      out[0] = PLAIN;
      System.arraycopy(plain, 0, out, 1, plain.length);
      return out;
    }
    byte[] out = new byte[HEADER_BYTES + Gcm.sealedLength(plain.length)];
    ByteBuffer.wrap(out).put(AES_GCM).putInt(currentVersion);
    Gcm.seal(keys.get(currentVersion), plain, out, HEADER_BYTES, header(out), tenantAad, aad);
    return out;
  }

  /** The plaintext of a value {@link #seal}ed for {@code aad}; {@link CiphertextRejected} if it does not open. */
  public byte[] open(byte[] sealed, byte[] aad) {
    if (sealed.length == 0) {
      throw new CiphertextRejected("empty ciphertext");
    }
    if (sealed[0] == PLAIN) {
      byte[] plain = new byte[sealed.length - 1];
      System.arraycopy(sealed, 1, plain, 0, plain.length);
      return plain;
    }
    if (sealed[0] != AES_GCM || sealed.length < HEADER_BYTES) {
      throw new CiphertextRejected("unknown ciphertext format " + sealed[0]);
    }
    int version = ByteBuffer.wrap(sealed, 1, Integer.BYTES).getInt();
    SecretKey key = keys.get(version);
    if (key == null) {
      throw new CiphertextRejected("tenant " + tenantId + " has no data key version " + version);
    }
    return Gcm.open(key, sealed, HEADER_BYTES, header(sealed), tenantAad, aad);
  }

  /** {@link #seal} of the text's UTF-8, base64 (for text columns); null stays null. */
  public String sealText(String plain, byte[] aad) {
    return plain == null ? null
        : Base64.getEncoder().encodeToString(seal(plain.getBytes(StandardCharsets.UTF_8), aad));
  }

  /** The text {@link #sealText} sealed; null stays null. */
  public String openText(String sealed, byte[] aad) {
    if (sealed == null) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      throw new CiphertextRejected("sealed text is not base64");
    }
    return new String(open(bytes, aad), StandardCharsets.UTF_8);
  }

  /**
   * A blind index of {@code value}: the first 16 bytes of HMAC-SHA256 under the tenant's index key over the purpose and
   * the value, as unpadded base64url. Equal values of one tenant and purpose give equal tokens; nothing else shows.
   */
  public String blindIndex(String purpose, String value) {
    Mac mac = freshMac();
    mac.update(Aad.of(purpose));
    byte[] full = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 16));
  }

  /**
   * A fresh HMAC-SHA256 under the tenant's hash key, fed {@code purpose} first: a keyed hash of stored content, which
   * nobody without the key can use to confirm a guessed value. The caller owns the returned Mac.
   */
  public Mac keyedHash(String purpose) {
    Mac mac = freshMac();
    mac.update(Aad.of(purpose));
    return mac;
  }

  private static byte[] header(byte[] sealed) {
    byte[] header = new byte[HEADER_BYTES];
    System.arraycopy(sealed, 0, header, 0, HEADER_BYTES);
    return header;
  }

  private Mac freshMac() {
    try {
      return (Mac) macPrototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("this JVM's " + MAC_ALGORITHM + " cannot be cloned", e);
    }
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(MAC_ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + MAC_ALGORITHM, e);
    }
  }

  private static byte[] hmac(byte[] key, String label) {
    Mac mac = newMac();
    try {
      mac.init(new SecretKeySpec(key, MAC_ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
    return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
