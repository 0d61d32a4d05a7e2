package io.entrabackup.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What restores changed in tenants' directories and what downloads built on this node: the writes Graph made for
 * restore jobs (each counted once per attempt that made it, as the job's figure counts it), and the bytes of the ZIP
 * files built (the size a user downloads, as the job publishes it).
 */
public final class RestoreDownloadMetrics {

  private final Counter restoreWrites;
  private final Counter downloadBytes;
  private final Counter downloadsBuilt;

  RestoreDownloadMetrics(MeterRegistry registry) {
    restoreWrites = Counter.builder(NodeMetrics.PREFIX + "restore_writes")
        .description("Writes Graph made for restore jobs on this node (create, property, membership, undelete)")
        .register(registry);
    downloadBytes = Counter.builder(NodeMetrics.PREFIX + "download_bytes")
        .description("Bytes of download ZIP files built on this node")
        .baseUnit("bytes")
        .register(registry);
    downloadsBuilt = Counter.builder(NodeMetrics.PREFIX + "downloads_built")
        .description("Download ZIP files built on this node")
        .register(registry);
  }

  /** Graph made one of a restore job's writes. */
  public void restoreWriteMade() {
    restoreWrites.increment();
  }

  /** A download's ZIP of {@code bytes} bytes was built and stored. */
  public void downloadBuilt(long bytes) {
    downloadsBuilt.increment();
    downloadBytes.increment(bytes);
  }
}
