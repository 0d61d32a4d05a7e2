package io.entrabackup.cluster.download;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** {@code entra-backup.download}, read once; every key is documented in the cluster's reference.conf. */
public record DownloadSettings(
    Duration linkValidity,
    Duration storageGrace,
    Duration auditRetention,
    int chunkSize,
    int chunkWriteParallelism,
    int readParallelism,
    int compressParallelism,
    int compressionLevel,
    int maxAttempts,
    Duration retryBackoff,
    Duration idleTimeout,
    Duration progressInterval,
    Path spoolDirectory,
    Duration askTimeout,
    int maxBuildsPerNode,
    int maxBuildsPerAccount) {

  public static final String DISPATCHER = "entra-backup.download-dispatcher";

  public static DownloadSettings create(Config root) {
    Config c = root.getConfig("entra-backup.download");
    long chunkSize = c.getBytes("chunk-size");
    if (chunkSize < 1024 || chunkSize > 16L * 1024 * 1024) {
      throw new IllegalArgumentException("entra-backup.download.chunk-size must be from 1k to 16m");
    }
    int level = c.getInt("compression-level");
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("entra-backup.download.compression-level must be from 1 to 9");
    }
    String spool = c.getString("spool-directory");
    return new DownloadSettings(
        c.getDuration("link-validity"),
        c.getDuration("storage-grace"),
        c.getDuration("audit-retention"),
        (int) chunkSize,
        c.getInt("chunk-write-parallelism"),
        c.getInt("read-parallelism"),
        Math.max(1, c.getInt("compress-parallelism")),
        level,
        Math.max(1, c.getInt("max-attempts")),
        c.getDuration("retry-backoff"),
        c.getDuration("idle-timeout"),
        c.getDuration("progress-interval"),
        Path.of(spool.isBlank() ? System.getProperty("java.io.tmpdir") : spool),
        c.getDuration("ask-timeout"),
        Math.max(1, c.getInt("max-builds-per-node")),
        Math.max(1, c.getInt("max-builds-per-account")));
  }

  /** TTL of a download's chunks and file row: the link's life plus the time a build may take. */
  public Duration storageTtl() {
    return linkValidity.plus(storageGrace);
  }
}
