package io.entrabackup.cluster.snapshot;

import io.entrabackup.cluster.snapshot.internal.LatestBuckets;
import io.entrabackup.cluster.snapshot.internal.NameKeys;
import io.entrabackup.cluster.snapshot.internal.SearchTokens;
import java.util.List;

/**
 * How a tenant's snapshot rows are partitioned, for whoever must find all of them without a table scan (offboarding's
 * purge): every {@code snapshot_latest} and {@code snapshot_search} bucket of a type, and every name kind of
 * {@code snapshot_objects}.
 */
public final class SnapshotPartitions {

  /** The {@code snapshot_latest} buckets of one type: 0 to this, exclusive. */
  public static final int LATEST_BUCKETS = LatestBuckets.COUNT;

  /** The {@code name_kind}s of {@code snapshot_objects}: the list rows (UPNs are sealed in them, cluster/ENCRYPTION.md). */
  public static final List<String> NAME_KINDS = List.of(NameKeys.BY_NAME);

  /** The {@code snapshot_search} buckets of one type: 0 to this, exclusive. */
  public static final int SEARCH_BUCKETS = SearchTokens.BUCKETS;

  private SnapshotPartitions() {}
}
