package io.entrabackup.cluster.snapshot.internal;

import io.entrabackup.cluster.store.PreparedStatementCache;
import java.util.Collections;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/** The snapshot store's CQL, each prepared once per session (see snapshots.cql for the tables). */
public final class SnapshotStatements {

  private static final String VERSION_COLUMNS =
      "version_id, run_id, captured_at, content_hash, removed, display_name, state_deflated, state_crc32, state_length, "
          + "members, members_count, owners, owners_count, members_inline, owners_inline, chain_hash, prev_version";
  /** Counted from the list, so a column added to it cannot leave an insert one bind marker short. */
  private static final int VERSION_COLUMN_COUNT = VERSION_COLUMNS.split(",").length;
  private static final String OBJECT_COLUMNS =
      "sort_key, object_id, display_name, version_id, captured_at, removed, detail, upn";

  public final PreparedStatementCache insertVersion;
  public final PreparedStatementCache selectLatest;
  public final PreparedStatementCache selectVersion;
  public final PreparedStatementCache selectVersions;
  public final PreparedStatementCache selectVersionsWithState;
  public final PreparedStatementCache upsertLatest;
  public final PreparedStatementCache selectLatestBucket;
  public final PreparedStatementCache insertChunk;
  public final PreparedStatementCache selectChunks;
  public final PreparedStatementCache upsertObject;
  public final PreparedStatementCache selectObjects;
  public final PreparedStatementCache selectObjectsAfter;
  public final PreparedStatementCache selectObjectsById;
  public final PreparedStatementCache upsertSearch;
  public final PreparedStatementCache deleteSearch;
  public final PreparedStatementCache selectSearch;
  public final PreparedStatementCache selectSearchAfter;
  public final PreparedStatementCache insertRunChange;
  public final PreparedStatementCache selectRunChanges;
  public final PreparedStatementCache selectRunChangesOf;
  public final PreparedStatementCache selectRunChangesOfType;
  public final PreparedStatementCache selectLiveness;
  public final PreparedStatementCache selectLiveCounts;
  public final PreparedStatementCache selectLiveCount;
  public final PreparedStatementCache upsertLiveCount;
  public final PreparedStatementCache insertCountMark;
  public final PreparedStatementCache selectCountMarks;
  public final PreparedStatementCache deleteCountMark;

  public SnapshotStatements(CassandraSession session, String keyspace) {
    String versions = keyspace + ".snapshot_versions";
    String chunks = keyspace + ".snapshot_reference_chunks";
    String objects = keyspace + ".snapshot_objects";
    String objectPartition = " WHERE tenant_id = ? AND object_type = ? AND name_kind = ?";
    String versionPartition = " WHERE tenant_id = ? AND object_type = ? AND object_id = ?";
    insertVersion = new PreparedStatementCache(session,
        "INSERT INTO " + versions + " (tenant_id, object_type, object_id, " + VERSION_COLUMNS
            + ") VALUES (" + markers(3 + VERSION_COLUMN_COUNT) + ")");
    selectLatest = new PreparedStatementCache(session,
        "SELECT " + VERSION_COLUMNS + " FROM " + versions + versionPartition + " LIMIT 1");
    selectVersion = new PreparedStatementCache(session,
        "SELECT " + VERSION_COLUMNS + " FROM " + versions + versionPartition + " AND version_id = ?");
    selectVersions = new PreparedStatementCache(session,
        "SELECT version_id, captured_at, run_id, removed FROM " + versions + versionPartition);
    selectVersionsWithState = new PreparedStatementCache(session,
        "SELECT " + VERSION_COLUMNS + " FROM " + versions + versionPartition);
    String latest = keyspace + ".snapshot_latest";
    upsertLatest = new PreparedStatementCache(session,
        "INSERT INTO " + latest + " (tenant_id, object_type, bucket, object_id, " + VERSION_COLUMNS
            + ") VALUES (" + markers(4 + VERSION_COLUMN_COUNT) + ")");
    selectLatestBucket = new PreparedStatementCache(session,
        "SELECT object_id, " + VERSION_COLUMNS + " FROM " + latest
            + " WHERE tenant_id = ? AND object_type = ? AND bucket = ?");
    insertChunk = new PreparedStatementCache(session,
        "INSERT INTO " + chunks + " (tenant_id, object_type, object_id, chunk_id, refs) VALUES (?, ?, ?, ?, ?)");
    selectChunks = new PreparedStatementCache(session,
        "SELECT chunk_id, refs FROM " + chunks + versionPartition + " AND chunk_id IN ?");
    upsertObject = new PreparedStatementCache(session,
        "INSERT INTO " + objects + " (tenant_id, object_type, name_kind, " + OBJECT_COLUMNS
            + ") VALUES (" + markers(3 + OBJECT_COLUMNS.split(",").length) + ")");
    selectObjects = new PreparedStatementCache(session,
        "SELECT " + OBJECT_COLUMNS + " FROM " + objects + objectPartition + " LIMIT ?");
    selectObjectsAfter = new PreparedStatementCache(session,
        "SELECT " + OBJECT_COLUMNS + " FROM " + objects + objectPartition
            + " AND (sort_key, object_id) > (?, ?) LIMIT ?");
    selectObjectsById = new PreparedStatementCache(session,
        "SELECT " + OBJECT_COLUMNS + " FROM " + objects + objectPartition + " AND sort_key = ? AND object_id IN ?");
    String search = keyspace + ".snapshot_search";
    String tokenPartition = " WHERE tenant_id = ? AND object_type = ? AND bucket = ? AND name_token = ?";
    upsertSearch = new PreparedStatementCache(session,
        "INSERT INTO " + search + " (tenant_id, object_type, bucket, name_token, object_id) VALUES (?, ?, ?, ?, ?)");
    deleteSearch = new PreparedStatementCache(session,
        "DELETE FROM " + search + tokenPartition + " AND object_id = ?");
    selectSearch = new PreparedStatementCache(session,
        "SELECT object_id FROM " + search + tokenPartition + " LIMIT ?");
    selectSearchAfter = new PreparedStatementCache(session,
        "SELECT object_id FROM " + search + tokenPartition + " AND object_id > ? LIMIT ?");
    insertRunChange = new PreparedStatementCache(session,
        "INSERT INTO " + keyspace + ".snapshot_run_changes (tenant_id, run_id, object_type, object_id, "
            + "version_id, outcome) VALUES (?, ?, ?, ?, ?, ?)");
    selectRunChanges = new PreparedStatementCache(session,
        "SELECT object_type, object_id, version_id, outcome FROM " + keyspace
            + ".snapshot_run_changes WHERE tenant_id = ? AND run_id = ?");
    selectRunChangesOf = new PreparedStatementCache(session,
        "SELECT object_type, object_id, version_id, outcome FROM " + keyspace
            + ".snapshot_run_changes WHERE tenant_id = ? AND run_id = ? AND object_type = ? AND outcome = ?");
    selectRunChangesOfType = new PreparedStatementCache(session,
        "SELECT object_id, outcome FROM " + keyspace
            + ".snapshot_run_changes WHERE tenant_id = ? AND run_id = ? AND object_type = ?");
    selectLiveness = new PreparedStatementCache(session,
        "SELECT removed FROM " + objects + objectPartition);
    String counts = keyspace + ".snapshot_live_counts";
    selectLiveCounts = new PreparedStatementCache(session,
        "SELECT object_type, live FROM " + counts + " WHERE tenant_id = ?");
    selectLiveCount = new PreparedStatementCache(session,
        "SELECT live FROM " + counts + " WHERE tenant_id = ? AND object_type = ?");
    upsertLiveCount = new PreparedStatementCache(session,
        "INSERT INTO " + counts + " (tenant_id, object_type, live, counted_at) VALUES (?, ?, ?, ?)");
    String marks = keyspace + ".snapshot_count_marks";
    insertCountMark = new PreparedStatementCache(session,
        "INSERT INTO " + marks + " (tenant_id, object_type, mark) VALUES (?, ?, ?)");
    selectCountMarks = new PreparedStatementCache(session,
        "SELECT mark FROM " + marks + " WHERE tenant_id = ? AND object_type = ?");
    deleteCountMark = new PreparedStatementCache(session,
        "DELETE FROM " + marks + " WHERE tenant_id = ? AND object_type = ? AND mark = ?");
  }

  private static String markers(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
