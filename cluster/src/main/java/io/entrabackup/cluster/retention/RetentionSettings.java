package io.entrabackup.cluster.retention;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code entra-backup.retention} section (reference.conf says what each setting is for). */
public record RetentionSettings(boolean scheduled, Duration checkInterval, Duration every, Duration staleAfter,
    int parallelism, Duration pinLookBack) {

  public static RetentionSettings create(Config root) {
    Config config = root.getConfig("entra-backup.retention");
    return new RetentionSettings(config.getBoolean("scheduled"), config.getDuration("check-interval"),
        config.getDuration("every"), config.getDuration("stale-after"), config.getInt("parallelism"),
        config.getDuration("pin-look-back"));
  }
}
