package io.entrabackup.cluster.account;

import com.typesafe.config.Config;
import io.entrabackup.cluster.auth.SigningKeySettings;
import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.protocol.AccountId;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code entra-backup.auth} section: the install's bootstrap account and key, the signing key of
 * consent states and download links, and how long a verified API key is trusted from cache.
 *
 * @param bootstrapKey an administrator key registered at start when set; never logged
 * @param signingKeys HMAC keys shared by every node, by id (one signs, all verify); empty means a random one per
 *     process
 */
public record AuthSettings(
    AccountId bootstrapAccount,
    String bootstrapAccountName,
    Optional<String> bootstrapKey,
    Optional<SigningKeys> signingKeys,
    Duration keyCacheTtl,
    Duration consentValidity) {

  /** Keys shorter than this are refused: they could be guessed. */
  public static final int MIN_SECRET_LENGTH = 32;

  public static AuthSettings create(Config root) {
    Config config = root.getConfig("entra-backup.auth");
    return new AuthSettings(
        new AccountId(config.getString("bootstrap-account")),
        config.getString("bootstrap-account-name"),
        secret(config, "bootstrap-key"),
        SigningKeySettings.read(config, MIN_SECRET_LENGTH),
        config.getDuration("key-cache-ttl"),
        config.getDuration("consent-validity"));
  }

  private static Optional<String> secret(Config config, String path) {
    String value = config.getString(path);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("entra-backup.auth." + path + " must be at least " + MIN_SECRET_LENGTH
          + " characters long");
    }
    return Optional.of(value);
  }

  @Override
  public String toString() {
    return "AuthSettings[bootstrapAccount=" + bootstrapAccount + ", keyCacheTtl=" + keyCacheTtl
        + ", consentValidity=" + consentValidity + ", secrets hidden]";
  }
}
