package io.entrabackup.cluster.backup;

import com.typesafe.config.Config;

/** The {@code entra-backup.backup} section (the schedule's period is read by the tenant's schedule). */
public record BackupSettings(int writeParallelism, int maxConcurrentPerNode) {

  public static BackupSettings create(Config root) {
    Config config = root.getConfig("entra-backup.backup");
    return new BackupSettings(config.getInt("write-parallelism"), Math.max(1, config.getInt("max-concurrent-per-node")));
  }
}
