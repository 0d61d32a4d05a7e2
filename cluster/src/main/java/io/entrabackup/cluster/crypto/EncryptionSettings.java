package io.entrabackup.cluster.crypto;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code entra-backup.encryption} section (reference.conf documents each setting). */
public record EncryptionSettings(boolean enabled, Duration keyCacheTtl, Config section) {

  public static final String PATH = "entra-backup.encryption";

  public static EncryptionSettings create(Config config) {
    Config section = config.getConfig(PATH);
    return new EncryptionSettings(section.getBoolean("enabled"), section.getDuration("key-cache-ttl"), section);
  }

  /** The configured master keys; with encryption on the current one must be there (else a start-up error). */
  public ConfiguredMasterKeys masterKeys() {
    ConfiguredMasterKeys keys = ConfiguredMasterKeys.fromConfig(section, System::getenv);
    return enabled ? keys.requireCurrent() : keys;
  }
}
