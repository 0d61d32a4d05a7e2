package io.entrabackup.cluster.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The signing keys of consent states and download links, each named by a key id: one current key signs, every key
 * in the set verifies, so replacing the current key (rotation) leaves the states and links made with the old one
 * valid until that key is removed. A signed text is {@code kid.base64url(text).base64url(mac)}; the kid only chooses
 * the key and is not covered by the MAC, since naming another key makes the MAC wrong and naming an unknown one is
 * refused like a bad signature. A text without a kid (signed before key ids existed) is checked against the key with
 * id {@value #LEGACY_KEY_ID}, the one the single {@code signing-key} setting configures.
 */
public final class SigningKeys {

  /** The id of the key of the single {@code entra-backup.auth.signing-key} setting, and of kid-less texts. */
  public static final String LEGACY_KEY_ID = "default";

  /** Key ids are short and URL-safe, and never hold the dot that ends them in a signed text. */
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final String currentKeyId;
  private final Map<String, HmacSigner> keys;

  /**
   * @param currentKeyId the key that signs; must be one of {@code secrets}
   * @param secrets every key accepted for verification, by id
   */
  public SigningKeys(String currentKeyId, Map<String, String> secrets) {
    Map<String, HmacSigner> byId = new LinkedHashMap<>();
    secrets.forEach((id, secret) -> byId.put(validId(id), new HmacSigner(secret)));
    if (!byId.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("the current signing key '" + currentKeyId + "' is not among the keys "
          + byId.keySet());
    }
    this.currentKeyId = currentKeyId;
    this.keys = Collections.unmodifiableMap(byId);
  }

  /** One key, with the legacy id (the single {@code signing-key} setting). */
  public static SigningKeys single(String secret) {
    return new SigningKeys(LEGACY_KEY_ID, Map.of(LEGACY_KEY_ID, secret));
  }

  /** A random key, for a node that was given none: what it signs is valid only in this process. */
  public static SigningKeys random() {
    return new SigningKeys(LEGACY_KEY_ID, Map.of(LEGACY_KEY_ID, HmacSigner.randomSecret()));
  }

  /** Whether {@code id} may name a key. */
  public static boolean isValidId(String id) {
    return id != null && KEY_ID.matcher(id).matches();
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  /** {@code text} signed with the current key, naming it: {@code kid.base64url(text).base64url(mac)}. */
  public String sign(String text) {
    return currentKeyId + "." + keys.get(currentKeyId).sign(text);
  }

  /** The signed text and the key that signed it, when intact and signed by a key of this set; else empty. */
  public Optional<Verified> verify(String signed) {
    if (signed == null) {
      return Optional.empty();
    }
    String[] parts = signed.split("\\.", -1);
    return switch (parts.length) {
      case 2 -> verifyWith(LEGACY_KEY_ID, signed);
      case 3 -> verifyWith(parts[0], signed.substring(parts[0].length() + 1));
      default -> Optional.empty();
    };
  }

  /** The base64url MAC of {@code text} under key {@code keyId}; empty when no such key is accepted. */
  public Optional<String> mac(String keyId, String text) {
    return Optional.ofNullable(keyId).map(keys::get).map(signer -> signer.mac(text));
  }

  private Optional<Verified> verifyWith(String keyId, String unnamed) {
    HmacSigner signer = keys.get(keyId);
    return signer == null
        ? Optional.empty()
        : signer.verify(unnamed).map(text -> new Verified(keyId, text));
  }

  private static String validId(String id) {
    if (!isValidId(id)) {
      throw new IllegalArgumentException("a signing key id is 1 to 32 letters, digits, '-' or '_'");
    }
    return id;
  }

  @Override
  public String toString() {
    return "SigningKeys[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
  }

  /** A verified text and the id of the key that signed it (which derives anything else tied to that text). */
  public record Verified(String keyId, String text) {}
}
