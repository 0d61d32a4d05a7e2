package io.entrabackup.cluster.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the signing keys of the {@code entra-backup.auth} section: {@code signing-keys} (a list of {@code {id, key}}),
 * {@code current-signing-key} (the id that signs) and the older single {@code signing-key}, which stays valid as the
 * key with id {@value SigningKeys#LEGACY_KEY_ID}.
 */
public final class SigningKeySettings {

  private SigningKeySettings() {}

  /**
   * The configured keys; empty when none is configured.
   *
   * @param auth the {@code entra-backup.auth} section
   * @param minSecretLength keys shorter than this are refused
   */
  public static Optional<SigningKeys> read(Config auth, int minSecretLength) {
    Map<String, String> secrets = new LinkedHashMap<>();
    String single = auth.getString("signing-key");
    if (!single.isEmpty()) {
      secrets.put(SigningKeys.LEGACY_KEY_ID, single);
    }
    for (Config entry : auth.getConfigList("signing-keys")) {
      String id = entry.getString("id");
      if (!SigningKeys.isValidId(id)) {
        throw new ConfigException.BadValue("entra-backup.auth.signing-keys",
            "a key id is 1 to 32 letters, digits, '-' or '_'");
      }
      if (secrets.putIfAbsent(id, entry.getString("key")) != null) {
        throw new ConfigException.BadValue("entra-backup.auth.signing-keys", "key id '" + id + "' is configured twice"
            + (id.equals(SigningKeys.LEGACY_KEY_ID) ? " (signing-key is the key with this id)" : ""));
      }
    }
    secrets.forEach((id, secret) -> {
      if (secret.length() < minSecretLength) {
        throw new ConfigException.BadValue("entra-backup.auth.signing-keys", "the signing key with id '" + id
            + "' must be at least " + minSecretLength + " characters long");
      }
    });
    if (secrets.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SigningKeys(current(auth, secrets), secrets));
  }

  private static String current(Config auth, Map<String, String> secrets) {
    String current = auth.getString("current-signing-key");
    if (current.isEmpty()) {
      if (secrets.size() > 1) {
        throw new ConfigException.BadValue("entra-backup.auth.current-signing-key", "several signing keys are"
            + " configured: name the one that signs (the others only verify)");
      }
      return secrets.keySet().iterator().next();
    }
    if (!secrets.containsKey(current)) {
      throw new ConfigException.BadValue("entra-backup.auth.current-signing-key", "no signing key has id '"
          + current + "'");
    }
    return current;
  }
}
