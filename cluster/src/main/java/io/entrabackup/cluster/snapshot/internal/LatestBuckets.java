package io.entrabackup.cluster.snapshot.internal;

import java.nio.charset.StandardCharsets;

/**
 * Which {@code snapshot_latest} partition of its type an object's latest row lives in. The hash is stored
 * data's address: it must never change, so it is spelled out here (32-bit FNV-1a over the id's UTF-8 bytes)
 * rather than borrowed from a library or {@code String.hashCode}.
 */
public final class LatestBuckets {

  /**
   * Partitions per tenant and type. A 1,000,000-user type (~1.5 KB a row, ~1.5 GB) makes ~23 MB partitions,
   * well inside what Cassandra serves comfortably; a small tenant pays 64 cheap reads per type. Changing it
   * moves every stored row: it is part of the schema.
   */
  public static final int COUNT = 64;

  private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private LatestBuckets() {}

  /** The bucket of an object id, in [0, COUNT). */
  public static int of(String objectId) {
    int hash = FNV_OFFSET_BASIS;
    for (byte b : objectId.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return Integer.remainderUnsigned(hash, COUNT);
  }
}
