package io.entrabackup.cluster.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: {@code eb_<keyId>_<secret>}, 256 random bits of secret. Stored as SHA-256 only: for
 * secrets of that strength a fast hash is as safe as a slow one (nothing to brute-force), and it
 * keeps authentication at one hash and one partition read per request.
 */
final class ApiKeyFormat {

  private static final SecureRandom random = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private ApiKeyFormat() {}

  record GeneratedKey(String keyId, String key, String hash) {}

  static GeneratedKey generate() {
    return generate(randomText(6).toLowerCase().replace('-', 'x').replace('_', 'y'));
  }

  /** A new secret for an existing key id: how a key is rotated. */
  static GeneratedKey generate(String keyId) {
    String key = "eb_" + keyId + "_" + randomText(32);
    return new GeneratedKey(keyId, key, hash(key));
  }

  static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String randomText(int bytes) {
    byte[] buffer = new byte[bytes];
    random.nextBytes(buffer);
    return BASE64URL.encodeToString(buffer);
  }
}
