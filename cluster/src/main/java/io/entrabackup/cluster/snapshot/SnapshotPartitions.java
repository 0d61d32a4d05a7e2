package io.entrabackup.cluster.snapshot;

import io.entrabackup.cluster.snapshot.internal.LatestBuckets;
import io.entrabackup.cluster.snapshot.internal.NameKeys;
import java.util.List;

/**
 * How a tenant's snapshot rows are partitioned, for whoever must find all of them without a table scan (offboarding's
 * purge): every {@code snapshot_latest} bucket of a type, and every name kind of {@code snapshot_objects}.
 */
public final class SnapshotPartitions {

  /** The {@code snapshot_latest} buckets of one type: 0 to this, exclusive. */
  public static final int LATEST_BUCKETS = LatestBuckets.COUNT;

  /** The {@code name_kind}s of {@code snapshot_objects}: by display name, by UPN. */
  public static final List<String> NAME_KINDS = List.of(NameKeys.BY_NAME, NameKeys.BY_UPN);

  private SnapshotPartitions() {}
}
