package io.entrabackup.cluster.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs short texts with HMAC-SHA256 as {@code base64url(text).base64url(mac)} and checks them in
 * constant time. Every node must share the key, so whatever one node signs another accepts.
 */
public final class HmacSigner {

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  public HmacSigner(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** A random key of 32 bytes, base64url. */
  static String randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return ENCODER.encodeToString(secret);
  }

  public String sign(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
  }

  /** The signed text, when {@code signed} is intact; empty when it was altered or is malformed. */
  public Optional<String> verify(String signed) {
    if (signed == null) {
      return Optional.empty();
    }
    int dot = signed.indexOf('.');
    if (dot <= 0 || dot == signed.length() - 1) {
      return Optional.empty();
    }
    try {
      byte[] payload = DECODER.decode(signed.substring(0, dot));
      byte[] mac = DECODER.decode(signed.substring(dot + 1));
      return MessageDigest.isEqual(mac, mac(payload))
          ? Optional.of(new String(payload, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  /** The MAC of {@code text} alone, base64url (what {@link #sign} puts after the dot). */
  public String mac(String text) {
    return ENCODER.encodeToString(mac(text.getBytes(StandardCharsets.UTF_8)));
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
    }
  }
}
