package io.entrabackup.cluster.backup;

import com.typesafe.config.Config;

/** The {@code entra-backup.backup} section. */
public record BackupSettings(int writeParallelism) {

  public static BackupSettings create(Config root) {
    Config config = root.getConfig("entra-backup.backup");
    return new BackupSettings(config.getInt("write-parallelism"));
  }
}
